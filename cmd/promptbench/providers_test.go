package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/eval/fakeopenai"
	"promptbench/eval/provider"
)

func TestModelsAndProvidersCheck(t *testing.T) {
	const key = "sk-proj-CHECKKEYneverprinted0042"
	good := fakeopenai.New(nil)
	defer good.Close()
	denied := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Status: 401, ErrorMessage: "Incorrect API key provided: " + key}
	})
	defer denied.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/v1"
	l.Close()

	c := newCLI(t)
	c.ok("", "init")
	c.env["GOOD_KEY"] = key
	c.env["DENIED_KEY"] = key
	cfg := "providers:\n" +
		"  - {name: good, kind: openai, base_url: " + good.BaseURL() + ", api_key_env: GOOD_KEY, prices: {small: {input: 0.5, output: 1.5}}}\n" +
		"  - {name: denied, kind: openai, base_url: " + denied.BaseURL() + ", api_key_env: DENIED_KEY}\n" +
		"  - {name: gone, kind: openai, base_url: " + closed + "}\n"
	if err := os.WriteFile(filepath.Join(c.dir, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}

	models := c.ok("", "models")
	mustContain(t, models, "good", "GOOD_KEY (set)", "good/small", "0.5", "1.5", "openai/gpt-4o-mini", "OpenAI list price", "echo/echo", "gone/…")
	var infos []provider.Info
	if err := json.Unmarshal([]byte(c.ok("", "models", "--json")), &infos); err != nil || len(infos) != 6 {
		t.Fatalf("models --json: %d providers, %v", len(infos), err)
	}

	mustContain(t, c.ok("", "providers", "check", "good"), "good", "small", "ok")
	r := c.run("", "providers", "check")
	if r.code != 3 {
		t.Fatalf("check with failing configured providers: exit %d\n%s%s", r.code, r.out, r.err)
	}
	mustContain(t, r.out, "reachable, key refused (HTTP 401)", "DENIED_KEY", "unreachable", "connection", "key not set: set OPENAI_API_KEY")
	var results []provider.CheckResult
	r = c.run("", "providers", "check", "--json")
	if err := json.Unmarshal([]byte(r.out), &results); err != nil {
		t.Fatal(err)
	}
	byName := map[string]provider.CheckResult{}
	for _, res := range results {
		byName[res.Provider] = res
	}
	if g := byName["good"]; !g.Reachable || g.Auth != provider.AuthOK {
		t.Fatalf("good = %+v", g)
	}
	if d := byName["denied"]; !d.Reachable || d.Auth != provider.AuthFailed {
		t.Fatalf("denied = %+v", d)
	}
	if g := byName["gone"]; g.Reachable {
		t.Fatalf("gone = %+v", g)
	}
	if r := c.run("", "providers", "check", "nope"); r.code != 2 || !strings.Contains(r.err, "no provider named") {
		t.Fatalf("unknown provider: exit %d, %q", r.code, r.err)
	}
	for _, out := range []string{models, r.out, r.err} {
		if strings.Contains(out, key) {
			t.Fatal("a key was printed")
		}
	}
	if all := c.run("", "providers", "check"); strings.Contains(all.out+all.err, key) {
		t.Fatal("a key was printed")
	}
}
