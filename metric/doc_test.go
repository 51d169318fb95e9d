package metric_test

import (
	"os"
	"strings"
	"testing"
)

// TestDocCode checks that every code block of the package doc is the code
// of an example, which go test compiles and runs: no name in the doc is
// left undefined.
func TestDocCode(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var examples strings.Builder // the examples, one tab less indented
	for _, l := range strings.SplitAfter(string(src), "\n") {
		examples.WriteString(strings.TrimPrefix(l, "\t"))
	}
	var blocks []string
	var cur strings.Builder
	for _, l := range strings.SplitAfter(string(doc), "\n") {
		if code, ok := strings.CutPrefix(l, "//\t"); ok {
			cur.WriteString(code)
			continue
		}
		if cur.Len() > 0 {
			blocks = append(blocks, cur.String())
			cur.Reset()
		}
	}
	if len(blocks) < 3 {
		t.Fatalf("doc.go has %d code blocks; the test reads them wrong", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(examples.String(), b) {
			t.Errorf("this code block of doc.go is in no example of example_test.go:\n%s", b)
		}
	}
}
