package eval_test

import (
	"math"
	"testing"

	"promptbench/eval"
	"promptbench/workspace"
)

func TestCacheKey(t *testing.T) {
	msgs := []workspace.Message{{Role: "user", Content: "hi"}}
	schema := func(s string) workspace.ModelConfig {
		return workspace.ModelConfig{ResponseFormat: &workspace.ResponseFormat{Type: "json_schema", Schema: []byte(s)}}
	}
	base := eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{}, msgs)
	if len(base) != 64 || base != eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{Model: "openai/gpt-4o"}, msgs) {
		t.Fatalf("key %q not stable or depends on params.Model", base)
	}
	zero := 0.0
	differ := map[string]string{
		"provider":    eval.CacheKey("azure", "gpt-4o", workspace.ModelConfig{}, msgs),
		"model":       eval.CacheKey("openai", "gpt-4o-mini", workspace.ModelConfig{}, msgs),
		"temperature": eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{Temperature: &zero}, msgs),
		"max tokens":  eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{MaxTokens: 5}, msgs),
		"role":        eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{}, []workspace.Message{{Role: "system", Content: "hi"}}),
		"content":     eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{}, []workspace.Message{{Role: "user", Content: "hi "}}),
		"split":       eval.CacheKey("open", "ai/gpt-4o", workspace.ModelConfig{}, msgs),
	}
	for name, k := range differ {
		if k == base {
			t.Errorf("%s does not change the key", name)
		}
	}
	a := eval.CacheKey("p", "m", schema(`{"type": "object", "required": ["a"]}`), msgs)
	b := eval.CacheKey("p", "m", schema(`{"required":["a"],"type":"object"}`), msgs)
	if a != b {
		t.Error("schema formatting changes the key")
	}
	if eval.CacheKey("p", "m", workspace.ModelConfig{}, nil) != eval.CacheKey("p", "m", workspace.ModelConfig{}, []workspace.Message{}) {
		t.Error("nil and empty messages differ")
	}
	nan := math.NaN()
	if k := eval.CacheKey("p", "m", workspace.ModelConfig{Temperature: &nan}, msgs); k != "" {
		t.Errorf("NaN key %q", k)
	}
}

func TestRequestKey(t *testing.T) {
	msgs := []workspace.Message{{Role: "user", Content: "hi"}}
	plain := eval.Request{Messages: msgs, Params: workspace.ModelConfig{Model: "echo/x"}}
	streamed := plain
	streamed.Stream = true
	if k := eval.RequestKey(plain); k == "" || k != eval.RequestKey(streamed) {
		t.Errorf("streaming changes the key: %q vs %q", k, eval.RequestKey(streamed))
	}
	if k := eval.RequestKey(eval.Request{Messages: msgs, Params: workspace.ModelConfig{Model: "no-provider"}}); k != "" {
		t.Errorf("a model without a provider has key %q, want none", k)
	}
}
