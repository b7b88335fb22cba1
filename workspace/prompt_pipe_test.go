package workspace

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"promptbench/storage"
)

// TestListManyChunks: a listing of more records than one chunk decodes
// them on a second goroutine; what it returns must be what reading each
// prompt gives, in name order, including a record the fast decoder
// declines, and a record that does not decode must fail the listing by
// name.
func TestListManyChunks(t *testing.T) {
	ws := newTestWorkspace(t)
	ctx := context.Background()
	const n = 700 // about 250 KB of records: four chunks
	err := ws.Batch(ctx, func(b *Batch) error {
		for i := range n {
			desc := fmt.Sprintf("prompt %d", i)
			d := text("hello")
			d.Description = &desc
			if err := b.Commit(fmt.Sprintf("p/%04d", i), d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// An escaped string: goccy/go-json decodes this one.
	var want Prompt
	err = ws.update(ctx, func(tx *storage.Tx) error {
		p, err := GetPrompt(tx, "p/0350")
		if err != nil {
			return err
		}
		b, err := tx.GetPrompt("p/0350")
		if err != nil {
			return err
		}
		b = []byte(strings.Replace(string(b), `"prompt 350"`, `"prompt \u0033\u0035\u0030 \u00e9"`, 1))
		p.Description = "prompt 350 é"
		want = p
		return tx.PutPrompt("p/0350", b)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ws.List(ctx, Filter{})
	if err != nil || len(got) != n {
		t.Fatalf("%d prompts, %v", len(got), err)
	}
	for i, p := range got {
		if p.Name != fmt.Sprintf("p/%04d", i) {
			t.Fatalf("prompt %d is %s", i, p.Name)
		}
	}
	if !samePrompt(got[350], want) {
		t.Fatalf("declined record:\n got %+v\nwant %+v", got[350], want)
	}
	if got, err := ws.List(ctx, Filter{Search: "PROMPT 69"}); err != nil || len(got) != 11 || got[0].Name != "p/0069" {
		t.Fatalf("search: %d prompts, %v", len(got), err)
	}

	err = ws.update(ctx, func(tx *storage.Tx) error { return tx.PutPrompt("p/0600", []byte(`{"name":`)) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.List(ctx, Filter{}); err == nil || !strings.Contains(err.Error(), "p/0600") {
		t.Fatalf("a broken record: %v", err)
	}
}
