package cwjson

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/internal/cwfmt"
)

func TestWriter(t *testing.T) {
	at := time.Date(2022, 10, 30, 20, 47, 35, 671e6, time.UTC)
	tests := []struct {
		write func(w *Writer)
		want  string
		why   string
	}{
		{func(w *Writer) {
			w.BeginObject()
			w.Key("version")
			w.String("1.0")
			w.Key("threshold")
			w.Double(90)
			w.Key("period")
			w.Int(60)
			w.EndObject()
		}, `{"version":"1.0","threshold":90.0,"period":60}`, "keys in the caller's order, Java doubles, compact"},
		{func(w *Writer) {
			w.BeginObject()
			w.Key("list")
			w.BeginArray()
			w.Double(1e7)
			w.Double(0.5)
			w.EndArray()
			w.Key("empty")
			w.Strings(nil)
			w.Key("objs")
			w.BeginArray()
			w.BeginObject()
			w.EndObject()
			w.BeginObject()
			w.Key("a")
			w.Null()
			w.EndObject()
			w.EndArray()
			w.EndObject()
		}, `{"list":[1.0E7,0.5],"empty":[],"objs":[{},{"a":null}]}`, "nesting and commas"},
		{func(w *Writer) { w.String(`<a&b> "q" \ ` + "\n\x01") }, `"<a&b> \"q\" \\ \n\u0001"`, "Jackson escapes quotes, backslashes and control characters only"},
		{func(w *Writer) { w.Time(at, cwfmt.JSONTime) }, `"2022-10-30T20:47:35.671+0000"`, "CloudWatch's timestamp layout"},
		{func(w *Writer) {
			w.BeginArray()
			w.Double(math.NaN())
			w.Double(math.Inf(-1))
			w.EndArray()
		}, `[null,null]`, "NaN and infinities never make invalid JSON"},
		{func(w *Writer) {
			w.BeginObject()
			w.Key("data")
			w.Raw(`{"x":1}`)
			w.Key("b")
			w.Bool(true)
			w.EndObject()
		}, `{"data":{"x":1},"b":true}`, "a nested JSON value"},
	}
	for _, tt := range tests {
		var w Writer
		tt.write(&w)
		got := string(w.Bytes())
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.why, diff)
		}
		if !json.Valid(w.Bytes()) {
			t.Errorf("%s: not JSON: %s", tt.why, got)
		}
		// Nested, the same document is the content of a JSON string.
		nw := NewNestedWriter([]byte("x"))
		tt.write(&nw)
		if diff := cmp.Diff("x"+nestedWant(got), string(nw.Bytes())); diff != "" {
			t.Errorf("%s, nested (-want +got):\n%s", tt.why, diff)
		}
	}
}

// nestedWant is what a nested Writer writes for the plain document doc:
// doc as a JSON string, without its quotes.
func nestedWant(doc string) string {
	q := string(AppendString(nil, doc))
	return q[1 : len(q)-1]
}

// FuzzNestedWriter: whatever the strings and raw JSON, a key is written as
// AppendString writes it, and the nested Writer writes the plain document
// escaped as a string's content, and that decodes back to the plain
// document.
func FuzzNestedWriter(f *testing.F) {
	f.Add("AlarmName", `cpu "high" \ `+"\n\x01é", `{"a":"b\\c"}`, 90.5)
	f.Add("", "", `[]`, 1e7)
	f.Add("a \"key\"\n", "", `null`, 0.5)
	f.Fuzz(func(t *testing.T, key, val, raw string, d float64) {
		at := time.Date(2022, 10, 30, 20, 47, 35, 671e6, time.UTC)
		write := func(w *Writer) {
			w.BeginObject()
			w.Key(key)
			w.String(val)
			w.Key("raw")
			w.Raw(raw)
			w.Key("t")
			w.Time(at, cwfmt.JSONTime)
			w.Key("d")
			w.Double(d)
			w.Key("l")
			w.Strings([]string{val, key})
			w.EndObject()
		}
		var w Writer
		write(&w)
		if head := "{" + string(AppendString(nil, key)) + ":"; !strings.HasPrefix(string(w.Bytes()), head) {
			t.Fatalf("key %q: the document %s does not begin with %s", key, w.Bytes(), head)
		}
		nw := NewNestedWriter(nil)
		write(&nw)
		if got, want := string(nw.Bytes()), nestedWant(string(w.Bytes())); got != want {
			t.Fatalf("nested writer:\n got %s\nwant %s", got, want)
		}
	})
}

func TestWriterDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		w := NewWriter(buf[:0])
		w.BeginObject()
		w.Key("v")
		w.Double(21.5)
		w.Key("s")
		w.String("x")
		w.EndObject()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per object, want 0", allocs)
	}
}
