package cwfmt

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDouble(t *testing.T) {
	tests := []struct {
		in   float64
		want string
		why  string
	}{
		{2, "2.0", "real reason: threshold (2.0)"},
		{21.5, "21.5", "real reason: 21.5"},
		{0.0666851903306472, "0.0666851903306472", "real reason: shortest digits, plain below 1"},
		{99.50160229693434, "99.50160229693434", "real reason data: full precision"},
		{20000, "20000.0", "real reason: 20000.0"},
		{1e7, "1.0E7", "Java switches to scientific notation at 10^7"},
		{9999999, "9999999.0", "largest plain integer form"},
		{1.5e7, "1.5E7", "scientific with fraction"},
		{0.001, "0.001", "10^-3 is still plain"},
		{0.0001, "1.0E-4", "below 10^-3 Java uses scientific notation"},
		{1.2345e-5, "1.2345E-5", "negative exponent"},
		{0, "0.0", "zero"},
		{math.Copysign(0, -1), "-0.0", "negative zero"},
		{-3.25, "-3.25", "sign"},
		{-1e10, "-1.0E10", "negative scientific"},
		{1e300, "1.0E300", "large exponent"},
		{math.NaN(), "NaN", "Java's NaN"},
		{math.Inf(1), "Infinity", "Java's infinity"},
		{math.Inf(-1), "-Infinity", "Java's negative infinity"},
		{225.71426732099445, "225.71426732099445", "real anomaly threshold"},
		{123456.789, "123456.789", "plain with fraction"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Double(tt.in)); diff != "" {
			t.Errorf("Double(%v) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

func TestAppendString(t *testing.T) {
	tests := []struct{ in, want, why string }{
		{`plain`, `"plain"`, "nothing to escape"},
		{`a"b\c`, `"a\"b\\c"`, "quote and backslash"},
		{"a\nb\tc\x01", `"a\nb\tc\u0001"`, "control characters"},
		{`<a&b>`, `"<a&b>"`, "Jackson does not escape HTML characters"},
		{"é", `"é"`, "non-ASCII is written as is"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, string(AppendString(nil, tt.in))); diff != "" {
			t.Errorf("AppendString(%q) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

func TestTimes(t *testing.T) {
	ts := time.Date(2019, 10, 2, 16, 59, 0, 985e6, time.FixedZone("x", 3600))
	if got, want := string(AppendTime(nil, ts, ReasonTime)), "02/10/19 15:59:00"; got != want {
		t.Errorf("ReasonTime = %q, want %q (UTC, dd/MM/yy)", got, want)
	}
	if got, want := string(AppendTime(nil, ts, JSONTime)), "2019-10-02T15:59:00.985+0000"; got != want {
		t.Errorf("JSONTime = %q, want %q (UTC, +0000, milliseconds)", got, want)
	}
	if got, want := string(AppendTime(nil, ts, APITime)), "2019-10-02T15:59:00.985Z"; got != want {
		t.Errorf("APITime = %q, want %q", got, want)
	}
}

// FuzzAppendString: what AppendString writes is a JSON string that
// decodes to the input (for valid UTF-8), and it escapes nothing but '"',
// '\' and the control characters (NeedsEscape agrees); the word-at-a-time
// escaping writes what escaping each byte by itself writes, once and
// twice.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `a"b\c`, "tab\there\nnew\x00\x1f", "é <&> \u2028",
		"eight by\"tes and \x1f \x20\x7f\x80\xff\\ across words \n\n\x00 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := AppendString(nil, s)
		if utf8.ValidString(s) {
			var back string
			if err := json.Unmarshal(out, &back); err != nil || back != s {
				t.Fatalf("AppendString(%q) = %s, which decodes to %q, %v", s, out, back, err)
			}
		}
		n := 0
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
				n++
			}
		}
		if NeedsEscape(s) != (n > 0) {
			t.Fatalf("NeedsEscape(%q) = %v with %d bytes to escape", s, NeedsEscape(s), n)
		}
		if n == 0 && string(out) != `"`+s+`"` {
			t.Fatalf("AppendString(%q) = %s: escaped a byte that needs none", s, out)
		}
		for _, table := range []*[256]string{&escapes, &twice} {
			var want []byte
			for i := 0; i < len(s); i++ {
				if e := table[s[i]]; e != "" {
					want = append(want, e...)
				} else {
					want = append(want, s[i])
				}
			}
			if got := appendEscaped(nil, s, table); string(got) != string(want) {
				t.Fatalf("appendEscaped(%q) = %q, byte by byte %q", s, got, want)
			}
		}
	})
}

// TestAppendTimeAsAppendFormat: the direct layouts write what
// time.Time.AppendFormat writes, for times across years 0 – 9999 with
// every millisecond pattern, in zones other than UTC, and at the edges.
func TestAppendTimeAsAppendFormat(t *testing.T) {
	times := []time.Time{
		time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		time.Date(2022, 10, 30, 20, 47, 35, 671e6, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 5e6, time.FixedZone("x", -7*3600)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), // beyond: AppendFormat's own
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		times = append(times, time.Unix(r.Int64N(253402300800)-62135596800, r.Int64N(1e9)))
	}
	for _, at := range times {
		for _, layout := range []string{JSONTime, ReasonTime, HumanTime, APITime} {
			want := at.UTC().AppendFormat(nil, layout)
			if got := AppendTime(nil, at, layout); string(got) != string(want) {
				t.Errorf("AppendTime(%v, %q) = %s, want %s", at, layout, got, want)
			}
		}
	}
}

// BenchmarkAppendTime: the three direct layouts against
// time.Time.AppendFormat of the same layout.
func BenchmarkAppendTime(b *testing.B) {
	at := time.Date(2022, 10, 30, 20, 47, 35, 671e6, time.UTC)
	buf := make([]byte, 0, 64)
	for _, layout := range []struct{ name, layout string }{{"JSONTime", JSONTime}, {"ReasonTime", ReasonTime}, {"HumanTime", HumanTime}} {
		b.Run(layout.name+"/direct", func(b *testing.B) {
			for b.Loop() {
				buf = AppendTime(buf[:0], at, layout.layout)
			}
		})
		b.Run(layout.name+"/AppendFormat", func(b *testing.B) {
			for b.Loop() {
				buf = at.AppendFormat(buf[:0], layout.layout)
			}
		})
	}
}

// BenchmarkAppendString: escaping a notification email's body (2 KB,
// a line feed every 60 bytes or so) and a JSON key, once and twice.
func BenchmarkAppendString(b *testing.B) {
	line := `- Reason for State Change:    Threshold Crossed: 1 datapoint [8.0 (05/07/24 15:19:00)] was greater than "5.0".` + "\n"
	email := strings.Repeat(line, 2048/len(line))
	buf := make([]byte, 0, 8192)
	for _, in := range []struct{ name, s string }{{"email", email}, {"key", "AlarmConfigurationUpdatedTimestamp"}} {
		b.Run(in.name+"/once", func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				buf = AppendString(buf[:0], in.s)
			}
		})
		b.Run(in.name+"/twice", func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				buf = AppendStringTwice(buf[:0], in.s)
			}
		})
	}
}
