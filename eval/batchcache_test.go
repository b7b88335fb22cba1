package eval

import (
	"errors"
	"testing"

	"promptbench/workspace"
)

func TestBatchCache(t *testing.T) {
	c := NewBatchCache(map[string][]byte{"old": []byte(`{"output":"stored"}`), "broken": []byte(`{`)})
	if res, ok, err := c.Get("old"); !ok || err != nil || res.Output != "stored" {
		t.Fatalf("stored entry: %+v %v %v", res, ok, err)
	}
	if _, ok, _ := c.Get("broken"); ok {
		t.Fatal("an undecodable entry must be a miss")
	}
	if err := c.Put("failed", Result{Output: "partial", Err: errors.New("cut")}); err != nil {
		t.Fatal(err)
	}
	if err := c.Put("new", Result{Output: "fresh", Cached: true}); err != nil {
		t.Fatal(err)
	}
	if res, ok, _ := c.Get("new"); !ok || res.Output != "fresh" || res.Cached {
		t.Fatalf("added entry: %+v %v", res, ok)
	}
	added := c.Added()
	if len(added) != 1 || added["new"] == nil {
		t.Fatalf("Added = %v, want only the new successful result", added)
	}
}

func TestKeys(t *testing.T) {
	msgs := []workspace.Message{{Role: "user", Content: "hi"}}
	calls := []Call{
		{ID: "a", Request: Request{Messages: msgs, Params: workspace.ModelConfig{Model: "echo/x"}}},
		{ID: "b", Request: Request{Messages: msgs, Params: workspace.ModelConfig{Model: "echo/x"}, Stream: true}},
		{ID: "c", Request: Request{Messages: msgs, Params: workspace.ModelConfig{Model: "no-provider"}}},
	}
	keys := Keys(calls)
	if len(keys) != 1 || keys[0] != RequestKey(calls[0].Request) {
		t.Fatalf("Keys = %v: streaming must not change the key, a bad model has none", keys)
	}
}
