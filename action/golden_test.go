package action

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/internal/cwfmt"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata with the current output")

// golden compares got with testdata/name.golden, or writes it there with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./action -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", path, diff)
	}
}

// capture returns testdata/captures/name: a payload as CloudWatch sent it
// (see testdata/captures/README.md). Files end with one line feed, which
// is not part of the payload, except the email bodies, which end with one.
func capture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "captures", name))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasSuffix(name, ".txt") || strings.HasPrefix(name, "subject") {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

// compact returns the JSON text s compacted: the key order and the bytes
// of every string are kept, the white space between tokens goes.
func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return b.String()
}

// ms parses a time in CloudWatch's JSON layout.
func ms(s string) time.Time {
	t, err := time.Parse(cwfmt.JSONTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

// sameBytes reports got against want, byte for byte.
func sameBytes(t *testing.T, what, want, got string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s is not the captured payload (-want +got):\n%s", what, diff)
	}
}
