package main

import (
	"strings"
	"testing"
)

// TestCommitRefusesInvalidUTF8: Latin-1 text from stdin or a file is
// refused with exit 2 naming the input, line and byte offset, and nothing
// is committed.
func TestCommitRefusesInvalidUTF8(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	file := writeFile(t, "latin1.txt", "Bonjour\nCaf\xe9 {{x}}\n")
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"stdin", "Caf\xe9 {{x}}", []string{"commit", "p", "-m", "m"}, "stdin:1: byte offset 3 (0xe9) is not valid UTF-8"},
		{"file", "", []string{"commit", "-m", "test", "p", "--file", file}, "latin1.txt:2: byte offset 11 (0xe9) is not valid UTF-8"},
		{"message", "Café {{x}}", []string{"commit", "p", "-m", "caf\xe9"}, "commit p: the commit message: byte offset 3 is not valid UTF-8"},
		{"description", "Café {{x}}", []string{"commit", "-m", "test", "p", "--description", "caf\xe9"}, "commit p: the description: byte offset 3 is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.stdin, tt.args...)
			if r.code != 2 || !strings.Contains(r.err, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", r.code, r.err, tt.want)
			}
		})
	}
	if out := c.ok("", "list"); strings.Contains(out, "p ") || strings.Contains(out, "p\n") {
		t.Fatalf("a refused commit was written:\n%s", out)
	}
	mustContain(t, c.ok("Café {{x}}", "commit", "p", "-m", "m"), "committed p@1")
}
