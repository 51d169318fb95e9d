package replay

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon"
)

// FuzzAppendItem: a history item is written as encoding/json writes it
// with WriteJSON's indentation and no HTML escaping, whatever its strings
// hold (quotes, control characters, <>&, U+2028, bytes that are not
// UTF-8).
func FuzzAppendItem(f *testing.F) {
	f.Add("cpu \"high\"", "Alarm updated from OK to ALARM", `{"version":"1.0","a":"<b>&"}`, int64(1704067260000))
	f.Add("\u2028\u2029é\xff\x00\x1f\x7f", "\b\f\n\r\t\\", "", int64(-1))
	f.Fuzz(func(t *testing.T, name, summary, data string, ms int64) {
		h := klaxon.AlarmHistoryItem{AlarmName: name, AlarmType: klaxon.MetricAlarmType, HistoryItemType: klaxon.HistoryStateUpdate,
			Timestamp: klaxon.Timestamp{Time: time.UnixMilli(ms % 4e12).UTC()}, HistorySummary: summary, HistoryData: data}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("        ", "    ")
		if err := enc.Encode(h); err != nil {
			t.Fatal(err)
		}
		want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if got := appendItem(nil, &h); !bytes.Equal(got, want) {
			t.Fatalf("appendItem:\n%s\nencoding/json:\n%s", got, want)
		}
	})
}
