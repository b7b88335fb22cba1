package provider

import (
	"context"
	"net"
	"strings"
	"testing"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

func TestCheckReportsReachabilityAndAuth(t *testing.T) {
	ctx := context.Background()
	srv := fakeopenai.New(func(_ int, req *fakeopenai.Request) fakeopenai.Reply {
		switch req.Model {
		case "denied":
			return fakeopenai.Reply{Status: 401, ErrorMessage: "Incorrect API key provided: " + testKey}
		case "missing":
			return fakeopenai.Reply{Status: 404, ErrorMessage: "The model does not exist"}
		}
		return fakeopenai.Reply{Content: "OK"}
	})
	defer srv.Close()
	r := newTestRegistry(t, srv, nil)

	ok, err := r.Check(ctx, "fake", "")
	if err != nil || !ok.Reachable || ok.Auth != AuthOK || ok.Model != "m" || ok.Problem != "" {
		t.Fatalf("healthy check = %+v, %v", ok, err)
	}
	if got := srv.Received()[0]; got.MaxTokens == nil || *got.MaxTokens != 1 {
		t.Fatalf("the check asked for %v tokens, want 1", got.MaxTokens)
	}
	denied, _ := r.Check(ctx, "fake", "denied")
	if !denied.Reachable || denied.Auth != AuthFailed || denied.Status != 401 || !strings.Contains(denied.Problem, "FAKE_API_KEY") || strings.Contains(denied.Problem, testKey) {
		t.Fatalf("401 check = %+v", denied)
	}
	missing, _ := r.Check(ctx, "fake", "missing")
	if !missing.Reachable || missing.Auth != AuthOK || !missing.ModelUnknown {
		t.Fatalf("404 check = %+v", missing)
	}
	if srv.Requests() != 3 {
		t.Fatalf("%d requests for 3 checks", srv.Requests())
	}
	echo, _ := r.Check(ctx, "echo", "")
	if !echo.Reachable || echo.Auth != AuthOK {
		t.Fatalf("echo check = %+v", echo)
	}
	if _, err := r.Check(ctx, "nope", ""); err == nil {
		t.Fatal("unknown provider checked")
	}
}

func TestCheckUnreachableAndMissingKey(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	cfg := []workspace.ProviderConfig{
		{Name: "gone", Kind: KindOpenAI, BaseURL: "http://" + addr + "/v1"},
		{Name: "keyed", Kind: KindOpenAI, BaseURL: "http://" + addr + "/v1", APIKeyEnv: "UNSET_KEY"},
	}
	r, err := NewRegistry(cfg, Options{Getenv: envMap(nil), Retry: RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	gone, _ := r.Check(context.Background(), "gone", "")
	if gone.Reachable || gone.Auth != AuthUnknown || !strings.Contains(gone.Problem, "connection") {
		t.Fatalf("unreachable check = %+v", gone)
	}
	keyed, _ := r.Check(context.Background(), "keyed", "")
	if keyed.Auth != AuthMissing || !strings.Contains(keyed.Problem, "UNSET_KEY") {
		t.Fatalf("missing key check = %+v", keyed)
	}
}

func TestCatalogListsPricesNeverKeys(t *testing.T) {
	srv := fakeopenai.New(nil)
	defer srv.Close()
	r := newTestRegistry(t, srv, nil)
	byName := map[string]Info{}
	for _, info := range r.Catalog() {
		byName[info.Name] = info
	}
	if len(byName) != 4 {
		t.Fatalf("catalog = %+v", byName)
	}
	fake := byName["fake"]
	if !fake.KeySet || fake.KeyEnv != "FAKE_API_KEY" || len(fake.Models) != 1 || fake.Models[0].Price.Output != 8 {
		t.Fatalf("fake = %+v", fake)
	}
	openai := byName["openai"]
	if !openai.Builtin || openai.KeySet || len(openai.Models) != len(listPriced) {
		t.Fatalf("openai = %+v", openai)
	}
	for _, m := range listPriced {
		if _, ok := DefaultPrice(m); !ok {
			t.Errorf("listed model %s has no list price", m)
		}
	}
	if e := byName["echo"]; len(e.Models) != 1 || e.Models[0].Name != "echo" {
		t.Fatalf("echo = %+v", e)
	}
}

// A local server that prices nothing is checked with a model it serves,
// the first it lists, not with a hosted model it has never heard of.
func TestCheckUsesAListedModelWhenNonePriced(t *testing.T) {
	srv := fakeopenai.New(nil)
	defer srv.Close()
	cfg := []workspace.ProviderConfig{{Name: "local", Kind: KindOpenAI, BaseURL: srv.BaseURL()}}
	r, err := NewRegistry(cfg, Options{Getenv: envMap(nil), Retry: RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	unlisted, _ := r.Check(context.Background(), "local", "")
	if unlisted.Model != CheckModel || !unlisted.Reachable {
		t.Fatalf("check of a server without /models = %+v, want a call to %s", unlisted, CheckModel)
	}
	srv.SetModels("qwen2.5:7b", "llama3.1:8b")
	listed, _ := r.Check(context.Background(), "local", "")
	if listed.Model != "llama3.1:8b" || listed.Auth != AuthNone {
		t.Fatalf("check of a server listing models = %+v, want a call to llama3.1:8b", listed)
	}
	reqs := srv.Received()
	if got := reqs[len(reqs)-1].Model; got != "llama3.1:8b" {
		t.Fatalf("the check called %q", got)
	}
}
