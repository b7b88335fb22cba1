package exchange

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// Export used to build the whole document in memory, one iterator per
// prompt; it now streams through a pipeline. The bytes must not change:
// referenceExport is the former export, kept here to compare against on a
// large generated library.

func referenceExport(t *testing.T, ws *workspace.Workspace, o ExportOptions) string {
	t.Helper()
	var out string
	err := ws.ViewStore(context.Background(), func(tx *storage.Tx) error {
		var prompts []workspace.Prompt
		err := forEachPrompt(tx, o, func(p workspace.Prompt) error {
			prompts = append(prompts, p)
			return nil
		})
		if err != nil {
			return err
		}
		labelled := map[string]bool{}
		var names []string
		for _, p := range prompts {
			names = append(names, p.Name)
			if len(p.Labels) > 0 {
				labelled[p.Name] = true
			}
		}
		history, err := workspace.LabelHistory(tx, labelled)
		if err != nil {
			return err
		}
		var w exportyaml.Writer
		w.Str(0, "schema", Schema)
		if !o.NoTaxonomy {
			writeTaxonomy(&w, ws.Config.Taxonomy)
		}
		if len(prompts) == 0 {
			w.Raw("prompts: []\n")
		} else {
			w.Open(0, "prompts")
		}
		for _, p := range prompts {
			if err := referencePrompt(tx, &w, p, history[p.Name]); err != nil {
				return err
			}
		}
		if err := writeExperiments(tx, &w, names); err != nil {
			return err
		}
		if o.WithLogs {
			if err := writeLogs(tx, &w, names, o); err != nil {
				return err
			}
		}
		trail, err := referenceTrail(tx)
		if err != nil {
			return err
		}
		referenceAudit(&w, exportedEvents(trail, names, len(o.Prompts) == 0 && len(o.Tags) == 0))
		out = w.String()
		return nil
	})
	if err != nil {
		t.Fatalf("reference export: %v", err)
	}
	return out
}

// referenceTrail is how the former export read the audit trail: every
// event in the order written, sorted by time in memory.
func referenceTrail(tx *storage.Tx) ([]workspace.AuditEvent, error) {
	var events []workspace.AuditEvent
	err := tx.ScanAudit(func(b []byte) error {
		var ev workspace.AuditEvent
		if err := json.Unmarshal(b, &ev); err != nil {
			return err
		}
		events = append(events, ev)
		return nil
	})
	slices.SortStableFunc(events, func(a, b workspace.AuditEvent) int { return a.Time.Compare(b.Time) })
	return events, err
}

// referenceAudit is the former audit section: the events sorted whole.
func referenceAudit(w *exportyaml.Writer, events []workspace.AuditEvent) {
	if len(events) == 0 {
		return
	}
	slices.SortStableFunc(events, func(a, b workspace.AuditEvent) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		if c := strings.Compare(a.Identity(), b.Identity()); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Version, b.Version), strings.Compare(a.Detail, b.Detail))
	})
	w.Open(0, "audit")
	for _, ev := range events {
		writeEvent(w, ev)
	}
}

func referencePrompt(tx *storage.Tx, w *exportyaml.Writer, p workspace.Prompt, moves workspace.LabelMoves) error {
	w.Raw("- name:")
	w.Scalar(2, p.Name, false)
	if p.Description != "" {
		w.Str(2, "description", p.Description)
	}
	w.Str(2, "created", workspace.FormatExportTime(p.Created))
	if len(p.Tags) > 0 {
		w.Open(2, "tags")
		for _, t := range p.Tags {
			w.Item(2, t)
		}
	}
	var versions []workspace.Version
	err := tx.ScanVersions(p.Name, func(n int, b []byte) error {
		if n > p.Latest {
			return nil
		}
		v, err := workspace.DecodeVersion(p.Name, n, b)
		if err != nil {
			return err
		}
		versions = append(versions, v)
		return nil
	})
	if err != nil {
		return err
	}
	writeLabels(w, p, moves.Records(), len(versions))
	w.Open(2, "versions")
	for _, v := range versions {
		if err := workspace.WriteVersionYAML(w, v); err != nil {
			return err
		}
	}
	return nil
}

// generatedLibrary commits prompts whose texts, configs, labels and logs
// cover what export writes in every form, with sizes that cross the
// pipeline's job boundaries.
func generatedLibrary(t *testing.T, prompts int) (*workspace.Workspace, []string) {
	t.Helper()
	ctx := context.Background()
	ws := newTestWorkspace(t)
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	pieces := append(slicesClone(awkwardTexts[:6]), awkwardTexts[7:]...)
	pieces = append(pieces, "plain words", "{{input}}", "é", "\u00a0nbsp", "\U0001F600", "x\x7fy", "a\x00b", "\ufffd")
	err := ws.Batch(ctx, func(b *workspace.Batch) error {
		for i := range prompts {
			name := fmt.Sprintf("gen/%s-%03d", pick([]string{"a", "b", "a-b", "a_b", "z"}), i)
			versions := 1 + rng.IntN(12)
			for v := range versions {
				var content strings.Builder
				for range 1 + rng.IntN(4) {
					content.WriteString(pick(pieces))
					if rng.IntN(2) == 0 {
						content.WriteString("\n")
					}
				}
				if i%97 == 0 && v == 0 {
					content.WriteString(strings.Repeat("a long text to fill a job ", 5000))
				}
				temp := float64(rng.IntN(20)) / 10
				seed := int64(rng.IntN(1000))
				cfg := workspace.ModelConfig{Model: pick([]string{"openai/gpt-4o-mini", "echo/echo", "local/m-1"}), Temperature: &temp}
				if rng.IntN(3) == 0 {
					cfg.Stop = []string{"\n\n", pick(pieces)}
					cfg.Seed = &seed
					cfg.MaxTokens = 1 + rng.IntN(500)
				}
				if rng.IntN(5) == 0 {
					cfg.ResponseFormat = &workspace.ResponseFormat{Type: "json_schema", Name: "out", Strict: true,
						Schema: []byte(`{"type":"object","properties":{"b":{"type":"number","minimum":1.50},"a":{"type":"string"}}}`)}
				}
				desc := pick(pieces)
				d := workspace.Draft{
					Messages: []workspace.Message{{Role: workspace.RoleSystem, Content: "You help {{team}}."}, {Role: workspace.RoleUser, Content: content.String()}},
					Config:   cfg,
					Message:  pick([]string{"", "fix", "commit: awkward # message", pick(pieces)}),
				}
				if v == 0 {
					d.Description = &desc
				}
				if rng.IntN(4) == 0 {
					d.Scorers = []string{"contains:" + pick([]string{"x", "y z"})}
				}
				if err := b.Commit(name, d); err != nil {
					return fmt.Errorf("%s@%d: %w", name, v+1, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Labels moved a few times, on some prompts.
	var names []string
	err = ws.ViewStore(ctx, func(tx *storage.Tx) error {
		return tx.ScanPrompts("", func(name string, _ []byte) error {
			names = append(names, name)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		if i%13 != 0 {
			continue
		}
		for _, move := range []struct{ ref, label string }{{name, "production"}, {name + "@1", "staging"}, {name + "@1", "production"}, {name, "production"}} {
			if _, err := ws.SetLabel(ctx, move.ref, move.label); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ws, names
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

func TestExportBytesMatchFormerExport(t *testing.T) {
	prompts := 300
	if testing.Short() {
		prompts = 60
	}
	ws, names := generatedLibrary(t, prompts)
	for _, o := range []ExportOptions{
		{},
		{WithLogs: true},
		{Prompts: []string{names[len(names)-1], names[0], names[13], names[0]}},
	} {
		want := referenceExport(t, ws, o)
		got := exportString(t, ws, o)
		if got != want {
			t.Fatalf("export %+v differs from the former export at byte %d of %d", o, firstDiff(got, want), len(want))
		}
		// ExportTo streams straight into its file: the same bytes.
		path := filepath.Join(t.TempDir(), "lib.yaml")
		if err := ExportTo(context.Background(), ws, path, o); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, []byte(want)) {
			t.Fatalf("ExportTo %+v differs from the former export (%v)", o, err)
		}
	}
	if !strings.Contains(referenceExport(t, ws, ExportOptions{}), "history:") {
		t.Fatal("the generated library has no label history")
	}
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
