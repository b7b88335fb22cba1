package evalrun

import (
	"context"
	"iter"
	"maps"
	"slices"
	"strconv"

	"promptbench/eval/merge"
	"promptbench/workspace"
)

// shardChunk is how many whole entries a shard record holds at a time.
const shardChunk = 256

// ShardCases streams the lines of a sharded run's record: per variant, the
// latest finished entry of each case and repeat (the one its report
// counted), by case key. Which entries those are is read without their
// texts; the whole entries are then read a chunk at a time, so that a
// shard of long outputs is written without holding them.
func ShardCases(ctx context.Context, ws *workspace.Workspace, run workspace.Run) iter.Seq2[merge.Case, error] {
	return func(yield func(merge.Case, error) bool) {
		latest := make([]map[string]string, len(run.Variants)) // case key → entry id
		for i := range latest {
			latest[i] = map[string]string{}
		}
		err := eachRunEntry(ctx, ws, run, func(e workspace.LogEntry) error {
			i := variantOf(run, e)
			if i < 0 || e.Cancelled {
				return nil
			}
			k := string(e.Case) + "\x00" + strconv.Itoa(e.Repeat)
			if old, ok := latest[i][k]; !ok || old < e.ID {
				latest[i][k] = e.ID
			}
			return nil
		})
		if err != nil {
			yield(merge.Case{}, err)
			return
		}
		for i, ids := range latest {
			v := run.Variants[i]
			keys := slices.Sorted(maps.Keys(ids))
			for start := 0; start < len(keys); start += shardChunk {
				chunk := keys[start:min(start+shardChunk, len(keys))]
				lk := make([]workspace.LogKey, len(chunk))
				for j, k := range chunk {
					lk[j] = workspace.LogKey{Prompt: v.Prompt, Version: v.Version, ID: ids[k]}
				}
				entries, err := ws.LogsByKey(ctx, lk)
				if err != nil {
					yield(merge.Case{}, err)
					return
				}
				for _, e := range entries {
					if e.ID == "" {
						continue // removed meanwhile
					}
					if !yield(merge.CaseOf(v.ID, e), nil) {
						return
					}
				}
			}
		}
	}
}
