package exchange

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"promptbench/workspace"
)

// The audit section goes through workers in jobs that end only between
// two instants: a trail of many instants of several events each, larger
// than many jobs, must come out as sorting the whole trail wrote it.
func TestExportAuditJobsKeepInstantsWhole(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), workspace.DirName)
	clock := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	calls := 0
	ws, _, err := workspace.Init(ctx, dir, workspace.Options{Getenv: func(string) string { return "" },
		// Seven events to an instant, some instants a whole second.
		Now: func() time.Time {
			calls++
			if calls%7 == 0 {
				clock = clock.Add(time.Duration(calls%3) * 333333 * time.Microsecond)
				clock = clock.Add(time.Second)
			}
			return clock
		},
		Author: func() string { return []string{"alice", "bob", "carol"}[calls%3] }})
	if err != nil {
		t.Fatal(err)
	}
	err = ws.Batch(ctx, func(b *workspace.Batch) error {
		for i := range 3000 {
			name := fmt.Sprintf("p/%03d", (i*7919)%400)
			if err := b.Commit(name, text(fmt.Sprintf("text %d with a tail to make the trail long enough", i))); err != nil {
				return err
			}
			if i%5 == 0 {
				if err := b.Label(name, []string{"production", "staging"}[i%2]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := referenceExport(t, ws, ExportOptions{})
	if got := exportString(t, ws, ExportOptions{}); got != want {
		t.Fatalf("export differs from the former export at byte %d of %d", firstDiff(got, want), len(want))
	}
}

func TestCanonicalTime(t *testing.T) {
	for s, want := range map[string]string{
		`{"time":"2026-11-30T13:38:41.657119738Z","author":"a"}`: "2026-11-30T13:38:41.657119738Z",
		`{"time":"2026-11-30T13:38:41Z"}`:                        "2026-11-30T13:38:41Z",
		`{"time":"2026-11-30T13:38:41.5Z"}`:                      "2026-11-30T13:38:41.5Z",
		`{"time":"2026-11-30T13:38:41.50Z"}`:                     "", // trailing zero: not as Go writes it
		`{"time":"2026-11-30T13:38:41.Z"}`:                       "",
		`{"time":"2026-11-30T13:38:41+01:00"}`:                   "",
		`{"time":"2026-11-30T13:38:41.1234567890Z"}`:             "",
		`{"time":"2026-11-30 13:38:41Z"}`:                        "",
		`{"author":"a","time":"2026-11-30T13:38:41Z"}`:           "",
		`{"time":"2026-11-30T13:38:4`:                            "",
	} {
		if got := string(canonicalTime([]byte(s))); got != want {
			t.Errorf("%s: %q, want %q", s, got, want)
		}
	}
}
