package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportImportCommands(t *testing.T) {
	a := newCLI(t)
	a.ok("", "init", "--demo")
	out := filepath.Join(t.TempDir(), "prompts.yaml")
	a.ok("", "export", "--out", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("export --out made %v, %v; want mode 0644", fi.Mode(), err)
	}
	if stdout := a.ok("", "export"); stdout != string(data) {
		t.Fatal("export to stdout and --out differ")
	}
	mustContain(t, a.ok("", "export", "--prompt", "fun/joke"), "- name: fun/joke\n")
	if got := a.ok("", "export", "--tag", "purpose:humor"); strings.Count(got, "- name:") != 1 {
		t.Fatalf("export --tag purpose:humor:\n%s", got)
	}
	mustContain(t, a.ok("", "export", "--prompt", "fun/joke", "--with-logs"), "logs: []\n", "runs: []\n")

	b := newCLI(t)
	b.env["PROMPTBENCH_AUTHOR"] = "bob"
	b.ok("", "init")
	dry := b.ok("", "import", out, "--dry-run")
	mustContain(t, dry, "12 new prompts", "28 new versions", "new prompt   support/reply", "label        support/reply@production → 2 (new)", "dry run: nothing changed")
	if strings.Contains(b.ok("", "list"), "support/reply") {
		t.Fatal("--dry-run imported")
	}
	mustContain(t, b.ok("", "import", out), "12 new prompts")
	mustContain(t, b.ok("", "import", out), "nothing to import")
	if again := b.ok("", "export"); again != string(data) {
		t.Fatal("export → import → export is not byte-identical")
	}

	// Diverge: both commit on top of fun/joke@2, then exchange.
	a.ok("Tell me a {{style}} joke about {{topic}}, please.\n", "commit", "fun/joke", "-m", "polite")
	b.ok("Give me a {{style}} joke about {{topic}}.\n", "commit", "fun/joke", "-m", "shorter")
	fromB := filepath.Join(t.TempDir(), "b.yaml")
	b.ok("", "export", "--out", fromB)
	mustContain(t, a.ok("", "import", fromB),
		"new version  fun/joke@4 (@3 in the file)", "divergence   fun/joke: both sides added versions after fun/joke@2; ours @3, imported @4 (both kept)")
	mustContain(t, a.ok("", "history", "fun/joke"), "fun/joke@4", "bob", "shorter", "fun/joke@3", "alice", "polite")
}

func TestImportRefusals(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init", "--demo")
	good := c.ok("", "export", "--prompt", "fun/joke")
	tampered := strings.Replace(good, "Tell me a {{style}} joke", "Tell me a {{style}} pun", 1)
	tests := []struct{ name, data, want string }{
		{"not yaml", "schema: [\n", "bad.yaml:"},
		{"wrong schema", strings.Replace(good, "promptbench/v1", "promptbench/v0", 1), `bad.yaml:1: schema "promptbench/v0"`},
		{"tampered content", tampered, "does not match"},
	}
	before := c.ok("", "export")
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
	if r := c.run("", "import", filepath.Join(t.TempDir(), "missing.yaml")); r.code != 2 {
		t.Fatalf("missing file: exit %d %q", r.code, r.err)
	}
	huge := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(huge, []byte("schema: promptbench/v1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 300<<20); err != nil { // sparse: nothing is read
		t.Fatal(err)
	}
	if r := c.run("", "import", huge); r.code != 2 || !strings.Contains(r.err, "limited to 256 MB") {
		t.Fatalf("huge file: exit %d %q", r.code, r.err)
	}
	// A key never gets in: commit refuses it (export's own refusal of
	// older libraries is tested in workspace).
	r := c.run("Use key sk-abcdefghijklmnopqrstuvwxyz123456 for {{x}}\n", "commit", "-m", "test", "leaky")
	if r.code != 2 || !strings.Contains(r.err, "messages[0].content holds what looks like an API key") {
		t.Fatalf("secret commit: exit %d %q", r.code, r.err)
	}
}

func TestExportFileSync(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	cfg := filepath.Join(c.dir, "config.yaml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append(data, []byte("export_file: prompts.yaml\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	synced := filepath.Join(filepath.Dir(c.dir), "prompts.yaml")
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(synced)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	c.ok("Hello {{name}}\n", "commit", "greet", "-m", "first")
	mustContain(t, read(), "- name: greet\n", "message: first\n")
	c.ok("", "label", "greet@1", "production")
	mustContain(t, read(), "production:\n      version: 1\n")
	if read() != c.ok("", "export") {
		t.Fatal("the synced file is not the export")
	}
	other := newCLI(t)
	other.ok("", "init", "--demo")
	c.ok("", "import", writeFile(t, "demo.yaml", other.ok("", "export")))
	mustContain(t, read(), "- name: support/reply\n")
}
