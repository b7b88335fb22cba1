package evalrun

import (
	"context"
	"iter"

	"promptbench/eval/merge"
	"promptbench/eval/report"
	"promptbench/workspace"
)

// shardChunk is how many whole entries a shard record holds at a time.
const shardChunk = 256

// ShardCases streams the lines of a sharded run's record: per variant, the
// latest finished entry of each case and repeat (the one its report
// counted), by case key. Which entries those are is read without their
// texts into the report's results (sorted in a temporary file past a few
// MB); the whole entries are then read a chunk at a time, so that a shard
// of any size is written without holding its cases.
func ShardCases(ctx context.Context, ws *workspace.Workspace, run workspace.Run) iter.Seq2[merge.Case, error] {
	return func(yield func(merge.Case, error) bool) {
		res, err := CollectResults(ctx, ws, run, report.Input{Run: run})
		if err != nil {
			yield(merge.Case{}, err)
			return
		}
		defer res.Close()
		chunk := make([]report.CaseRef, 0, shardChunk)
		emit := func() bool {
			keys := make([]workspace.LogKey, len(chunk))
			for i, ref := range chunk {
				keys[i] = ref.Key
			}
			entries, err := ws.LogsByKey(ctx, keys)
			if err != nil {
				yield(merge.Case{}, err)
				return false
			}
			for i, e := range entries {
				if e.ID == "" {
					continue // removed meanwhile
				}
				if !yield(merge.CaseOf(run.Variants[chunk[i].Variant].ID, e), nil) {
					return false
				}
			}
			chunk = chunk[:0]
			return true
		}
		for ref := range res.Refs {
			if chunk = append(chunk, ref); len(chunk) == cap(chunk) && !emit() {
				return
			}
		}
		if len(chunk) > 0 && !emit() {
			return
		}
		if err := res.Err(); err != nil {
			yield(merge.Case{}, err)
		}
	}
}
