package anomaly

import (
	"reflect"
	"unsafe"
)

// SetParam sets the model constant named by a params field for a tuning
// experiment (TestNABSweep) and returns its previous value. Models made
// afterwards use it.
func SetParam(name string, v float64) (old float64) {
	f := reflect.ValueOf(&defaultParams).Elem().FieldByName(name)
	if !f.IsValid() {
		panic("anomaly: no model constant " + name)
	}
	f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	switch f.Kind() {
	case reflect.Float64:
		old = f.Float()
		f.SetFloat(v)
	case reflect.Int:
		old = float64(f.Int())
		f.SetInt(int64(v))
	}
	return old
}
