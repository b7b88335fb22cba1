package dataset_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"promptbench/eval/dataset"
	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

// TestDemoDatasetsRender loads the demo into a workspace and renders every
// row of each demo dataset against the prompt it was written for, every
// version of it: a demo evaluation must not stop at a missing variable.
func TestDemoDatasetsRender(t *testing.T) {
	ctx := context.Background()
	ws, _, err := workspace.Init(ctx, t.TempDir(), workspace.Options{
		Getenv: func(string) string { return "" },
		Author: func() string { return "tester" },
	})
	if err != nil {
		t.Fatal(err)
	}
	demo, err := exchange.LoadDemo(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	pairs := []struct {
		file, prompt string
		versions     int
		rows         int
	}{
		{"articles.jsonl", "summarize/article", 3, 10},
		{"jokes.csv", "fun/joke", 2, 12},
		{"tickets.jsonl", "support/ticket-classifier", 2, 15},
	}
	if len(demo.Datasets) != len(pairs) {
		t.Fatalf("the demo has datasets %v; pair each with its prompt here", demo.Datasets)
	}
	for _, p := range pairs {
		t.Run(p.file, func(t *testing.T) {
			path := filepath.Join(demo.Dir, p.file)
			for v := 1; v <= p.versions; v++ {
				prep, err := ws.Prepare(ctx, p.prompt+"@"+strconv.Itoa(v))
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for row, err := range dataset.Read(path) {
					if err != nil {
						t.Fatal(err)
					}
					if row.Expected == nil {
						t.Errorf("%s row %s has no expected value for the scorers", p.file, row.ID)
					}
					if _, err := prep.Render(row.Vars); err != nil {
						t.Errorf("%s@%d, row %s (line %d): %v", p.prompt, v, row.ID, row.Line, err)
					}
					n++
				}
				if n != p.rows {
					t.Errorf("%s has %d rows, want %d", p.file, n, p.rows)
				}
			}
		})
	}
}
