package anomaly_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/klaxon-go/klaxon/anomaly"
)

// TestNABSweep is the tool the one NAB configuration was tuned with: it
// scores every combination of the values given in NAB_SWEEP, over all
// files, for alarm settings (K, NM as N/M, op as both, up or down) and the
// model's constants (by their field name in params), e.g.
//
//	NAB_SWEEP="K=3,3.5;NM=12/1,36/1;tailP=0.99,0.995" go test ./anomaly -run TestNABSweep -v
//
// It is skipped without NAB_SWEEP.
func TestNABSweep(t *testing.T) {
	spec := os.Getenv("NAB_SWEEP")
	if spec == "" {
		t.Skip("set NAB_SWEEP to sweep the NAB configuration")
	}
	data := nabDir(t)
	type dim struct {
		name string
		vals []string
	}
	var dims []dim
	for _, part := range strings.Split(spec, ";") {
		name, vals, _ := strings.Cut(part, "=")
		dims = append(dims, dim{name, strings.Split(vals, ",")})
	}
	var rec func(i int, set []string)
	rec = func(i int, set []string) {
		if i == len(dims) {
			a := nabAlarm
			var label []string
			for j, d := range dims {
				v := set[j]
				label = append(label, d.name+"="+v)
				switch d.name {
				case "K":
					a.K, _ = strconv.ParseFloat(v, 64)
				case "NM":
					n, m, _ := strings.Cut(v, "/")
					a.N, _ = strconv.Atoi(n)
					a.M, _ = strconv.Atoi(m)
				case "op":
					a.Operator = map[string]string{"both": "LessThanLowerOrGreaterThanUpperThreshold", "up": "GreaterThanUpperThreshold", "down": "LessThanLowerThreshold"}[v]
				default:
					f, err := strconv.ParseFloat(v, 64)
					if err != nil {
						t.Fatalf("%s=%s: %v", d.name, v, err)
					}
					defer anomaly.SetParam(d.name, anomaly.SetParam(d.name, f))
				}
			}
			res := scoreNAB(t, data, nabModel, a)
			aws, _ := categoryScores(res["realAWSCloudwatch"])
			art, _ := categoryScores(res["artificialWithAnomaly"])
			no, _ := categoryScores(res["artificialNoAnomaly"])
			t.Logf("%-60s AWS %6.2f %6.2f %6.2f  artW %6.2f  artNo %6.2f\n", strings.Join(label, " "), aws[0], aws[1], aws[2], art[0], no[0])
			return
		}
		for _, v := range dims[i].vals {
			rec(i+1, append(set, v))
		}
	}
	rec(0, nil)
}
