package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/eval/fakeopenai"
)

const testKey = "sk-test-0123456789abcdefSECRET"

// withProvider points provider "fake" of the workspace at srv.
func (c *cli) withProvider(t *testing.T, baseURL string) {
	t.Helper()
	cfg := "providers:\n  - name: fake\n    kind: openai\n    base_url: " + baseURL + "\n    api_key_env: FAKE_KEY\n    prices:\n      gpt-test: {input: 1, output: 2}\n"
	if err := os.WriteFile(filepath.Join(c.dir, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c.env["FAKE_KEY"] = testKey
}

func TestRunLogsAndCache(t *testing.T) {
	srv := fakeopenai.New(func(n int, req *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Content: "Why did the cat sit on the laptop?", PromptTokens: 1000, CompletionTokens: 500}
	})
	defer srv.Close()
	c := newCLI(t)
	c.ok("", "init")
	c.withProvider(t, srv.BaseURL())
	c.ok("Tell me a joke about {{topic}}.\n", "commit", "-m", "test", "comedian", "--model", "fake/gpt-test")

	r := c.run("", "run", "comedian", "--var", "topic=cats")
	if r.code != 0 || r.out != "Why did the cat sit on the laptop?\n" {
		t.Fatalf("run: exit %d out %q err %q", r.code, r.out, r.err)
	}
	// 1000 input tokens at $1/M plus 500 output at $2/M.
	mustContain(t, r.err, "fake/gpt-test · 1000→500 tokens", "$0.002000")
	if got := srv.Received()[0].Messages[0].Content; got != "Tell me a joke about cats." {
		t.Fatalf("server got %q", got)
	}

	r = c.run("", "run", "comedian", "--var", "topic=cats")
	if r.code != 0 || srv.Requests() != 1 {
		t.Fatalf("repeat was not served from the cache: %d requests, %q", srv.Requests(), r.err)
	}
	mustContain(t, r.err, "cached")
	c.ok("", "run", "comedian", "--var", "topic=cats", "--no-cache")
	if srv.Requests() != 2 {
		t.Fatalf("--no-cache did not call the model: %d requests", srv.Requests())
	}

	logs := c.ok("", "logs", "comedian@1")
	mustContain(t, logs, "3 calls", "1 cached", "Why did the cat", "fake/gpt-test")
	js := c.ok("", "logs", "comedian", "--json")
	mustContain(t, js, `"count": 3`, `"source": "cli"`, `"cached": true`, `"topic": "cats"`)

	// The key never reaches the store or any output.
	for _, out := range []string{r.out, r.err, logs, js} {
		if strings.Contains(out, testKey) {
			t.Fatal("API key in output")
		}
	}
	assertNotInDir(t, c.dir, testKey)
}

func TestRunFailures(t *testing.T) {
	tests := []struct {
		name  string
		reply fakeopenai.Reply
		code  int
		want  string
	}{
		{"unauthorized names the variable", fakeopenai.Reply{Status: 401, ErrorMessage: "Incorrect API key provided: " + testKey}, 3, "FAKE_KEY"},
		{"bad request", fakeopenai.Reply{Status: 400, ErrorMessage: "bad model"}, 3, "400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return tt.reply })
			defer srv.Close()
			c := newCLI(t)
			c.ok("", "init")
			c.withProvider(t, srv.BaseURL())
			c.ok("Hi\n", "commit", "-m", "test", "p", "--model", "fake/gpt-test")
			r := c.run("", "run", "p")
			if r.code != tt.code || !strings.Contains(r.err, tt.want) || strings.Contains(r.err, testKey) {
				t.Fatalf("exit %d, stderr %q", r.code, r.err)
			}
			mustContain(t, c.ok("", "logs", "p", "--json"), `"errors": 1`)
		})
	}
}

func TestRunInputErrors(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("Hi {{name}}\n", "commit", "-m", "test", "p")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no model", []string{"run", "p", "--var", "name=x"}, "names no model"},
		{"unknown provider", []string{"run", "p", "--var", "name=x", "--model", "nope/m"}, `unknown provider "nope"`},
		{"model format", []string{"run", "p", "--var", "name=x", "--model", "gpt-4o"}, "provider/model"},
		{"unset key", []string{"run", "p", "--var", "name=x", "--model", "openai/gpt-4o"}, "set OPENAI_API_KEY"},
		{"missing variable", []string{"run", "p", "--model", "echo/echo"}, "missing variables: name"},
		{"same model twice", []string{"run", "p", "--var", "name=x", "--model", "echo/echo", "--model", "echo/echo"}, "given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run("", tt.args...)
			if r.code != 2 || !strings.Contains(r.err, tt.want) {
				t.Fatalf("exit %d, stderr %q, want 2 and %q", r.code, r.err, tt.want)
			}
		})
	}
}

func TestRunRefusedConnection(t *testing.T) {
	srv := fakeopenai.New(nil)
	base := srv.BaseURL()
	srv.Close() // nothing listens there any more
	c := newCLI(t)
	c.ok("", "init")
	c.withProvider(t, base)
	c.ok("Hi\n", "commit", "-m", "test", "p", "--model", "fake/gpt-test")
	r := c.run("", "run", "p")
	if r.code != 3 || !strings.Contains(r.err, "fake") {
		t.Fatalf("exit %d, stderr %q", r.code, r.err)
	}
}

func TestRunStripsEscapesButStoresThem(t *testing.T) {
	evil := "ok\x1b[2J\x1b]0;pwned\x07 done"
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{Content: evil} })
	defer srv.Close()
	c := newCLI(t)
	c.ok("", "init")
	c.withProvider(t, srv.BaseURL())
	c.ok("Hi\n", "commit", "-m", "test", "p", "--model", "fake/gpt-test")
	if out := c.ok("", "run", "p", "--no-cache"); out != evil+"\n" {
		t.Fatalf("a pipe got %q, want the exact answer", out)
	}
	c.terminal = true
	out := c.ok("", "run", "p")
	if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) || out != "ok done\n" {
		t.Fatalf("terminal got %q", out)
	}
	mustContain(t, c.ok("", "logs", "p", "--json"), `ok\u001b[2J\u001b]0;pwned\u0007 done`)
	if strings.ContainsRune(c.ok("", "logs", "p"), 0x1b) {
		t.Fatal("logs printed an escape sequence")
	}
}

func assertNotInDir(t *testing.T, dir, secret string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("secret found in %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLogsLimit(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("Hi {{n}}\n", "commit", "-m", "test", "p", "--model", "echo/echo")
	for i := range 3 {
		c.ok("", "run", "p", "--var", "n="+strings.Repeat("x", i+1))
	}
	out := c.ok("", "logs", "p@1", "--limit", "2")
	mustContain(t, out, "… and 1 older calls", "3 calls")
	if strings.Contains(out, "Hi x\n") || !strings.Contains(out, "Hi xxx") {
		t.Fatalf("--limit 2 should show the two newest calls:\n%s", out)
	}
	if out := c.ok("", "logs", "p@1", "--limit", "0"); strings.Contains(out, "older calls") {
		t.Fatalf("--limit 0 hid calls:\n%s", out)
	}
}
