// Package examples holds runnable examples of Klaxon, one per scenario,
// with their expected output; `go test ./examples` runs them. The data
// under testdata/ is what the README's replay command uses.
package examples
