package exchange

import (
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// The parts of an export, each alone, on a library laid out as the
// command line's benchmark library is (prompts × 10 versions, a label on
// each, an audit event per commit and label move):
//
//	go test -run '^$' -bench ExportParts -cpuprofile cpu.out ./workspace/exchange
//
// "prompts" is what testdata/floor's export reads (the prompt and version
// records), "audit" the audit section, which the floor does not read.
func BenchmarkExportParts(b *testing.B) {
	ws := benchLibrary(b, 2000, 10)
	ctx := context.Background()
	b.Run("whole", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if err := exportStream(ctx, ws, io.Discard, ExportOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("prompts", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			err := ws.ViewStore(ctx, func(tx *storage.Tx) error {
				_, err := writePrompts(tx, io.Discard, ExportOptions{})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("records", func(b *testing.B) {
		// What the prompts part cannot do without: read every prompt
		// and version record.
		defer reportCPU(b)()
		for b.Loop() {
			err := ws.ViewStore(ctx, func(tx *storage.Tx) error {
				versions := tx.VersionReader()
				defer versions.Close()
				return tx.ScanPrompts("", func(name string, b []byte) error {
					return versions.Versions(name, func(int, []byte) error { return nil })
				})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("audit", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			err := ws.ViewStore(ctx, func(tx *storage.Tx) error {
				w := exportyaml.NewWriter(io.Discard)
				if err := writeAuditSection(tx, w, nil, true); err != nil {
					return err
				}
				return w.Flush()
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-prompt", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if err := exportStream(ctx, ws, io.Discard, ExportOptions{Prompts: []string{"bench/prompt-00042"}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU reports the CPU time (user and system) of each op, steadier
// than its wall time on a busy machine: call the function it returns
// when the loop is done.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchLibrary commits prompts × versions, each commit at its own time
// with its audit event, then moves labels as the command line's benchmark
// library does.
func benchLibrary(b *testing.B, prompts, versions int) *workspace.Workspace {
	b.Helper()
	ws := newTestWorkspace(b)
	ctx := context.Background()
	err := ws.Batch(ctx, func(batch *workspace.Batch) error {
		for i := range prompts {
			tags, err := workspace.ParseTags([]string{"purpose:support", "tone:formal"})
			if err != nil {
				return err
			}
			desc := fmt.Sprintf("Prompt number %d of the benchmark library", i)
			for v := range versions {
				d := workspace.Draft{
					Messages: []workspace.Message{
						{Role: workspace.RoleSystem, Content: "You are a careful assistant for team {{team}}."},
						{Role: workspace.RoleUser, Content: fmt.Sprintf("Task %d, revision %d: handle {{input}} politely.", i, v)},
					},
					Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini"},
					Description: &desc,
					Tags:        tags,
					Message:     fmt.Sprintf("revision %d", v),
				}
				if err := batch.Commit(fmt.Sprintf("bench/prompt-%05d", i), d); err != nil {
					return err
				}
			}
		}
		for i := range prompts {
			name := fmt.Sprintf("bench/prompt-%05d", i)
			if err := batch.Label(fmt.Sprintf("%s@%d", name, max(1, versions-1)), "production"); err != nil {
				return err
			}
			if i%5 == 0 {
				if err := batch.Label(name, "staging"); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ws
}
