package workspace

import (
	"context"
	"runtime"

	"promptbench/storage"
)

// Inspecting a version (decoding it, hashing its content, parsing its
// templates) costs far more than reading it, so one goroutine reads the
// store while workers inspect, and the findings come back in key order:
// the report stays the same from run to run, and prompt-level state is
// built as if in one pass. Memory stays bounded by the chunks in flight.

const (
	inspectChunk  = 256  // versions per unit of work
	parseCacheMax = 4096 // distinct message texts a worker remembers
)

type versionJob struct {
	name string
	n    int
	val  []byte
}

type inspectBatch struct {
	jobs     []versionJob
	findings []versionFinding
	done     chan struct{}
}

// inspectVersions runs inspectVersion on every version of the store and
// hands the findings to apply, in key order, on the calling goroutine.
func inspectVersions(ctx context.Context, tx *storage.Tx, apply func(versionFinding)) error {
	workers := max(runtime.GOMAXPROCS(0), 1)
	todo := make(chan *inspectBatch, workers)
	inOrder := make(chan *inspectBatch, 2*workers)
	for range workers {
		go func() {
			cache := map[string]parsedOne{}
			for b := range todo {
				if len(cache) > parseCacheMax {
					clear(cache)
				}
				b.findings = make([]versionFinding, len(b.jobs))
				for i, j := range b.jobs {
					b.findings[i] = inspectVersion(j.name, j.n, j.val, cache)
				}
				close(b.done)
			}
		}()
	}
	scanErr := make(chan error, 1)
	go func() {
		defer close(inOrder)
		defer close(todo)
		cur := &inspectBatch{done: make(chan struct{})}
		send := func() {
			inOrder <- cur
			todo <- cur
			cur = &inspectBatch{done: make(chan struct{})}
		}
		err := tx.ScanAllVersions(func(name string, n int, val []byte) error {
			cur.jobs = append(cur.jobs, versionJob{name, n, val})
			if len(cur.jobs) == inspectChunk {
				send()
				return ctx.Err()
			}
			return nil
		})
		if len(cur.jobs) > 0 {
			send()
		}
		scanErr <- err
	}()
	for b := range inOrder {
		<-b.done
		for _, f := range b.findings {
			apply(f)
		}
	}
	return <-scanErr
}
