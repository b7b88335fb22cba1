package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/eval/fakeopenai"
)

const projectKey = "sk-proj-Q1w2E3r4T5y6U7i8O9p0AsDfGhJkL"

// TestRunNeverStoresProviderKeys: a provider's key passed as a variable,
// and echoed back by the model, is stored as a marker, never as the key.
func TestRunNeverStoresProviderKeys(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Content: "Sure, I will use " + testKey + " from now on."}
	})
	defer srv.Close()
	c := newCLI(t)
	c.ok("", "init")
	c.withProvider(t, srv.BaseURL()) // FAKE_KEY=testKey
	c.env["OPENAI_API_KEY"] = projectKey
	c.ok("Call the API with {{x}}.\n", "commit", "-m", "test", "p", "--model", "fake/gpt-test")

	// The echo model answers with the rendered prompt: the key twice over.
	out := c.ok("", "run", "p", "--var", "x="+projectKey, "--model", "echo/echo", "--model", "fake/gpt-test")
	mustContain(t, out, "Call the API with "+projectKey) // the user's own terminal sees what they typed

	js := c.ok("", "logs", "p", "--json")
	mustContain(t, js, `"x": "[redacted:OPENAI_API_KEY]"`,
		`"content": "Call the API with [redacted:OPENAI_API_KEY]."`,
		`"output": "Call the API with [redacted:OPENAI_API_KEY]."`,
		`"output": "Sure, I will use [redacted:FAKE_KEY] from now on."`)
	file := filepath.Join(t.TempDir(), "backup.yaml")
	c.ok("", "export", "--with-logs", "--out", file)
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, string(raw), "[redacted:OPENAI_API_KEY]", "[redacted:FAKE_KEY]")
	for _, s := range []string{js, string(raw)} {
		if strings.Contains(s, projectKey) || strings.Contains(s, testKey) {
			t.Fatalf("a key reached the log:\n%s", s)
		}
	}
	assertNotInDir(t, c.dir, projectKey)
	assertNotInDir(t, c.dir, testKey)
}

// TestExportImportRefuseKeyLookingLogs: a key that is no provider's (so it
// was stored as given) keeps the log out of export files and imports,
// naming prompt, version, entry and fields, unless --redact-secrets.
func TestExportImportRefuseKeyLookingLogs(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("Call the API with {{x}}.\n", "commit", "-m", "test", "p", "--model", "echo/echo")
	c.ok("", "run", "p", "--var", "x=harmless")
	c.ok("", "run", "p", "--var", "x="+projectKey, "--json")
	id := logID(t, c, projectKey)

	file := filepath.Join(t.TempDir(), "backup.yaml")
	r := c.run("", "export", "--with-logs", "--out", file)
	if r.code != 2 {
		t.Fatalf("export: exit %d %q", r.code, r.err)
	}
	mustContain(t, r.err, "export refused: log entry "+id+" of p@1 holds what looks like an API key",
		"in messages[0].content, output, variables.x", "--redact-secrets")
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a refused export wrote %s", file)
	}
	if strings.Contains(r.err, projectKey) {
		t.Fatal("the refusal repeats the key")
	}

	r = c.run("", "export", "--with-logs", "--redact-secrets", "--out", file)
	if r.code != 0 {
		t.Fatalf("export --redact-secrets: exit %d %q", r.code, r.err)
	}
	mustContain(t, r.err, "redacted 3 key-looking words in 1 log entry")
	redacted, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(redacted), projectKey) || strings.Count(string(redacted), "[redacted]") != 3 {
		t.Fatalf("redacted export:\n%s", redacted)
	}
	if r := c.run("", "export", "--redact-secrets"); r.code != 2 || !strings.Contains(r.err, "add --with-logs") {
		t.Fatalf("--redact-secrets without --with-logs: exit %d %q", r.code, r.err)
	}

	// A file holding the key (written by hand, or by an older promptbench).
	leaky := writeFile(t, "leaky.yaml", strings.Replace(string(redacted), `x: "[redacted]"`, "x: "+projectKey, 1))
	d := newCLI(t)
	d.ok("", "init")
	r = d.run("", "import", leaky)
	if r.code != 2 {
		t.Fatalf("import: exit %d %q", r.code, r.err)
	}
	mustContain(t, r.err, "leaky.yaml:", ": log entry "+id+" of p@1 holds what looks like an API key", "in variables.x", "--redact-secrets")
	if strings.Contains(d.ok("", "list"), "p") {
		t.Fatal("a refused import changed the library")
	}
	r = d.run("", "import", "--redact-secrets", leaky)
	if r.code != 0 {
		t.Fatalf("import --redact-secrets: exit %d %q", r.code, r.err)
	}
	mustContain(t, r.out, "2 log entries")
	mustContain(t, r.err, "redacted 1 key-looking word in 1 log entry")
	mustContain(t, d.ok("", "logs", "p", "--json"), `"x": "[redacted]"`)
	assertNotInDir(t, d.dir, projectKey)
}

// logID is the id of the log entry of p whose variable x is value.
func logID(t *testing.T, c *cli, value string) string {
	t.Helper()
	var doc struct {
		Entries []struct {
			ID        string         `json:"id"`
			Variables map[string]any `json:"variables"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(c.ok("", "logs", "p", "--json")), &doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Entries {
		if e.Variables["x"] == value {
			return e.ID
		}
	}
	t.Fatalf("no log entry with x=%s", value)
	return ""
}
