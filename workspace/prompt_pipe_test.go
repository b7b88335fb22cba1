package workspace

import (
	"context"
	"errors"
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
	// Labels on every third prompt: a visitor's labels are one map,
	// emptied for each prompt, and nil for a prompt without.
	err = ws.update(ctx, func(tx *storage.Tx) error {
		for i := 0; i < n; i += 3 {
			p, err := GetPrompt(tx, fmt.Sprintf("p/%04d", i))
			if err != nil {
				return err
			}
			p.Labels = map[string]int{"production": 1, fmt.Sprintf("l%d", i%7): 1}
			if err := putPrompt(tx, p); err != nil {
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

	checkEachPrompt(t, ws, Filter{}, n)
	checkEachPrompt(t, ws, Filter{Search: "PROMPT 69"}, 11)

	err = ws.update(ctx, func(tx *storage.Tx) error { return tx.PutPrompt("p/0600", []byte(`{"name":`)) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.List(ctx, Filter{}); err == nil || !strings.Contains(err.Error(), "p/0600") {
		t.Fatalf("a broken record: %v", err)
	}
	if err := ws.EachPrompt(ctx, Filter{}, func(*Prompt) error { return nil }); err == nil || !strings.Contains(err.Error(), "p/0600") {
		t.Fatalf("a broken record, visited: %v", err)
	}
	stop := errors.New("stop")
	seen := 0
	err = ws.EachPrompt(ctx, Filter{}, func(*Prompt) error {
		seen++
		if seen == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 3 {
		t.Fatalf("an error from the visitor: %v after %d prompts", err, seen)
	}
}

// checkEachPrompt: EachPrompt visits what List returns, in order; what it
// hands over is copied here at once, as its callers must (its strings,
// tags and labels are the next prompt's memory).
func checkEachPrompt(t *testing.T, ws *Workspace, f Filter, n int) {
	t.Helper()
	ctx := context.Background()
	want, err := ws.List(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var got []Prompt
	err = ws.EachPrompt(ctx, f, func(p *Prompt) error {
		c := *p
		c.Name, c.Description, c.LatestHash, c.Model = strings.Clone(p.Name), strings.Clone(p.Description), strings.Clone(p.LatestHash), strings.Clone(p.Model)
		c.Tags = nil
		for _, tag := range p.Tags {
			c.Tags = append(c.Tags, strings.Clone(tag))
		}
		if p.Tags != nil && c.Tags == nil {
			c.Tags = []string{}
		}
		c.Labels = nil
		if p.Labels != nil {
			c.Labels = map[string]int{}
			for l, v := range p.Labels {
				c.Labels[strings.Clone(l)] = v
			}
		}
		got = append(got, c)
		return nil
	})
	if err != nil || len(got) != n || len(want) != n {
		t.Fatalf("%+v: visited %d, listed %d, want %d: %v", f, len(got), len(want), n, err)
	}
	for i := range got {
		if !samePrompt(got[i], want[i]) {
			t.Fatalf("%+v: prompt %d visited as\n%+v\nlisted as\n%+v", f, i, got[i], want[i])
		}
	}
}
