package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefusesBadText: invalid UTF-8 and a prompt named twice are
// refused with exit 2, naming file, line and what is wrong, and change
// nothing.
func TestImportRefusesBadText(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init", "--demo")
	good := c.ok("", "export", "--prompt", "fun/joke", "--prompt", "support/reply")
	before := c.ok("", "export")
	at := strings.Index(good, "joke about")
	badUTF8 := good[:at] + "jo\xe9ke" + good[at+4:]
	line := strings.Count(badUTF8[:at], "\n") + 1
	// The prompt again, before the audit section that ends the file.
	prompts, _, _ := strings.Cut(good, "audit:\n")
	second := strings.Index(prompts, "- name: support/reply")
	twice := prompts + prompts[second:]
	firstLine := strings.Count(good[:second], "\n") + 1
	secondLine := strings.Count(prompts, "\n") + 1
	tests := []struct{ name, data, want string }{
		{"invalid UTF-8", badUTF8, fmt.Sprintf("bad.yaml:%d: byte offset %d (column", line, at+2)},
		{"prompt twice", twice, fmt.Sprintf(`bad.yaml:%d: prompt "support/reply" appears twice (first on line %d)`, secondLine, firstLine)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run("", "import", writeFile(t, "bad.yaml", tt.data))
			if r.code != 2 || !strings.Contains(r.err, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", r.code, r.err, tt.want)
			}
		})
	}
	if c.ok("", "export") != before {
		t.Fatal("refused imports changed the library")
	}
}

// TestImportFromStdinStreams: "import -" reads the export from stdin, in a
// real process, and the library comes back byte for byte.
func TestImportFromStdinStreams(t *testing.T) {
	a := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, a, "", "init", "--demo"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	export, err := procCLI(t, a, "", "export")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, export)
	}
	b := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, b, "", "init"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	out, err := procCLI(t, b, export, "import", "-")
	if err != nil || !strings.Contains(out, "stdin: 12 new prompts") {
		t.Fatalf("import -: %v\n%s", err, out)
	}
	again, err := procCLI(t, b, "", "export")
	if err != nil || again != export {
		t.Fatalf("export after import from stdin differs (%v)", err)
	}
}
