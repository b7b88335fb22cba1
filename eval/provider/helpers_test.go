package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// testKey is distinctive so that tests can grep every output for it.
const testKey = "sk-test-Zq9XLEAKCHECK7731"

// fastRetry keeps retry waits in the milliseconds.
var fastRetry = RetryPolicy{MaxAttempts: 3, InitialInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond, MaxRetryAfter: 2 * time.Second}

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// newTestRegistry has a provider "fake" pointing at srv with key testKey
// in FAKE_API_KEY and the given extra settings.
func newTestRegistry(t *testing.T, srv *fakeopenai.Server, mod func(*workspace.ProviderConfig)) *Registry {
	t.Helper()
	c := workspace.ProviderConfig{
		Name: "fake", Kind: KindOpenAI, BaseURL: srv.BaseURL(), APIKeyEnv: "FAKE_API_KEY", Timeout: "2s",
		Prices: map[string]workspace.Price{"m": {Input: 2, Output: 8}},
	}
	if mod != nil {
		mod(&c)
	}
	r, err := NewRegistry([]workspace.ProviderConfig{c}, Options{
		Getenv: envMap(map[string]string{"FAKE_API_KEY": testKey}),
		Retry:  fastRetry,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func userMsg(s string) []workspace.Message {
	return []workspace.Message{{Role: workspace.RoleUser, Content: s}}
}

func call(t *testing.T, r *Registry, model string, stream bool) (Result, string) {
	t.Helper()
	var deltas strings.Builder
	res := r.Complete(context.Background(), Request{
		Messages: userMsg("hello there world"),
		Params:   workspace.ModelConfig{Model: model},
		Stream:   stream,
	}, func(s string) { deltas.WriteString(s) })
	return res, deltas.String()
}

func ptr[T any](v T) *T { return &v }
