package klaxon_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestREADME checks that the code the README shows is the code the tests
// run, word for word, and that the output it shows is the examples'.
func TestREADME(t *testing.T) {
	readme := read(t, "README.md")
	tests := []struct {
		section string // the README's heading
		block   int    // which fenced block of the section, from 0
		file    string
		want    func(src string) string // the text the block must be
		why     string
	}{
		{"## A tour of the library", 0, "example_test.go", func(src string) string { return exampleCode(t, src, "ExampleEngine") },
			"the tour is ExampleEngine, which go test runs"},
		{"## A tour of the library", 1, "example_test.go", func(src string) string { return exampleOutput(t, src, "ExampleEngine") },
			"what the tour prints is ExampleEngine's Output"},
		{"## Testing your alarms", 0, "examples/latency_test.go", func(src string) string { return function(t, src, "func TestCheckoutLatencyAlarm(") },
			"the user's test is the one examples/ runs"},
		{"## Testing your alarms", 2, "klaxontest/example_test.go", func(src string) string {
			return exampleOutput(t, src, "ExampleScenario_ExpectTransitions")
		}, "the failure shown is the one ExampleScenario_ExpectTransitions prints"},
	}
	// Excerpts: blocks that are part of an example, word for word.
	excerpts := []struct {
		section string
		block   int
		file    string
	}{
		{"## Composite alarms", 0, "examples/composite_test.go"},
		{"## Anomaly detection alarms", 0, "examples/anomaly_test.go"},
		{"## Actions", 0, "action/aws/example_test.go"},
		{"## Actions", 1, "action/aws/example_test.go"},
	}
	for _, x := range excerpts {
		got := fenced(t, readme, x.section, x.block)
		if !strings.Contains(dedent(read(t, x.file)), got) {
			t.Errorf("README.md %q, block %d, is not in %s (after its indentation is taken off):\n%s", x.section, x.block, x.file, got)
		}
	}
	tests = append(tests, []struct {
		section string
		block   int
		file    string
		want    func(src string) string
		why     string
	}{
		{"## Composite alarms", 1, "examples/composite_test.go", func(src string) string { return exampleOutput(t, src, "Example_composite") },
			"what the composite prints is Example_composite's Output"},
		{"## Anomaly detection alarms", 1, "examples/anomaly_test.go", func(src string) string { return exampleOutput(t, src, "Example_anomalyBand") },
			"what the anomaly alarm prints is Example_anomalyBand's Output"},
	}...)
	for _, tt := range tests {
		got := fenced(t, readme, tt.section, tt.block)
		if diff := cmp.Diff(tt.want(read(t, tt.file)), got); diff != "" {
			t.Errorf("README.md %q, block %d, against %s: %s (-%s +README.md):\n%s", tt.section, tt.block, tt.file, tt.why, tt.file, diff)
		}
	}
}

// dedent takes one tab off the start of every line: an example's body as
// the README shows it.
func dedent(src string) string {
	return strings.ReplaceAll(strings.TrimPrefix(src, "\t"), "\n\t", "\n")
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fenced returns the text of the n-th fenced code block of a section.
func fenced(t *testing.T, md, heading string, n int) string {
	t.Helper()
	i := strings.Index(md, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README.md has no section %q", heading)
	}
	sec := md[i+len(heading)+2:]
	if j := strings.Index(sec, "\n## "); j >= 0 {
		sec = sec[:j]
	}
	for k := 0; ; k++ {
		open := strings.Index(sec, "```")
		if open < 0 {
			t.Fatalf("README.md %q has %d fenced blocks, want block %d", heading, k, n)
		}
		sec = sec[open:]
		sec = sec[strings.Index(sec, "\n")+1:]
		end := strings.Index(sec, "```")
		if k == n {
			return sec[:end]
		}
		sec = sec[end+3:]
	}
}

// function returns the source of the function whose declaration starts
// with decl, up to its closing brace.
func function(t *testing.T, src, decl string) string {
	t.Helper()
	i := strings.Index(src, decl)
	if i < 0 {
		t.Fatalf("no %s...", decl)
	}
	j := strings.Index(src[i:], "\n}\n")
	return src[i : i+j+3]
}

// exampleCode returns an example's body above its Output comment, one
// tab less indented.
func exampleCode(t *testing.T, src, name string) string {
	t.Helper()
	body := function(t, src, "func "+name+"() {\n")
	body = body[strings.Index(body, "\n")+1 : strings.Index(body, "\t// Output:\n")]
	var b strings.Builder
	for _, l := range strings.SplitAfter(body, "\n") {
		b.WriteString(strings.TrimPrefix(l, "\t"))
	}
	return b.String()
}

// exampleOutput returns an example's Output.
func exampleOutput(t *testing.T, src, name string) string {
	t.Helper()
	body := function(t, src, "func "+name+"() {\n")
	out := body[strings.Index(body, "\t// Output:\n")+len("\t// Output:\n") : len(body)-2]
	var b strings.Builder
	for _, l := range strings.SplitAfter(out, "\n") {
		b.WriteString(strings.TrimPrefix(strings.TrimPrefix(l, "\t//"), " "))
	}
	return b.String()
}
