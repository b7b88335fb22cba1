package workspace

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"promptbench/storage"
)

// LogQuery selects log entries of one prompt, newest first, a page at a
// time: the Logs pane and `promptbench logs` read through it.
type LogQuery struct {
	Prompt  string
	Version int    // 0: every version of the prompt
	Source  string // "": any; "eval": any evaluation run; else exactly (cli, tui, eval:RUN)
	Run     RunID  // "": any
	Model   string // "": any; else the provider/model called
	Errors  bool   // only calls that failed
	Since   time.Time
	Before  string // a page's Next: entries older than it; "" starts at the newest
	Limit   int    // entries per page; 0 means DefaultLogPage
}

// DefaultLogPage is the page size of a LogQuery without a Limit.
const DefaultLogPage = 50

// LogPage is one page of a LogQuery's answer. Next is the cursor of the
// following page, "" after the last.
type LogPage struct {
	Entries []LogEntry
	Next    string
}

// QueryLogs answers q in one read of the store. Keys come first (cheap:
// the IDs sort by time), then only the entries the page needs are read.
func (ws *Workspace) QueryLogs(ctx context.Context, q LogQuery) (LogPage, error) {
	limit := cmp.Or(q.Limit, DefaultLogPage)
	var page LogPage
	err := ws.view(ctx, func(tx *storage.Tx) error {
		if _, err := GetPrompt(tx, q.Prompt); err != nil {
			return err
		}
		type key struct {
			number int
			id     string
		}
		var keys []key
		err := tx.ScanLogKeys(q.Prompt, q.Version, func(n int, id string) error {
			if q.Before == "" || id < q.Before {
				keys = append(keys, key{n, id})
			}
			return nil
		})
		if err != nil {
			return err
		}
		slices.SortFunc(keys, func(a, b key) int { return cmp.Compare(b.id, a.id) })
		last := ""
		for _, k := range keys {
			if !q.Since.IsZero() && logTime(k.id).Before(q.Since) {
				break
			}
			b, err := tx.GetLog(q.Prompt, k.number, k.id)
			if err != nil {
				return err
			}
			var e LogEntry
			if err := json.Unmarshal(b, &e); err != nil {
				return fmt.Errorf("decode log %s: %w", k.id, err)
			}
			if !q.matches(e) {
				continue
			}
			// A full page gets a Next only once a further entry is known to
			// match: a cursor to an empty page would promise more that is
			// not there.
			if len(page.Entries) == limit {
				page.Next = last
				break
			}
			page.Entries = append(page.Entries, e)
			last = k.id
		}
		return nil
	})
	return page, err
}

func (q LogQuery) matches(e LogEntry) bool {
	return (q.Source == "" || e.Source == q.Source || (q.Source == "eval" && strings.HasPrefix(e.Source, "eval:"))) &&
		(q.Run == "" || e.Run == q.Run) &&
		(q.Model == "" || e.Model == q.Model) &&
		(!q.Errors || e.Error != "")
}

// logTime reads the time NewLogID put at the front of an ID; an ID of
// another shape counts as new, so no filter drops it.
func logTime(id string) time.Time {
	if len(id) < 16 {
		return time.Time{}.AddDate(9999, 0, 0)
	}
	ns, err := strconv.ParseUint(id[:16], 16, 64)
	if err != nil {
		return time.Time{}.AddDate(9999, 0, 0)
	}
	return time.Unix(0, int64(ns))
}

// summaryFields is the part of a log entry a summary reads: decoding only
// it keeps a summary of thousands of entries cheap.
type summaryFields struct {
	InputTokens  int           `json:"input_tokens"`
	OutputTokens int           `json:"output_tokens"`
	Latency      time.Duration `json:"latency_ns"`
	Cost         float64       `json:"cost_usd"`
	Cached       bool          `json:"cached,omitempty"`
	Error        string        `json:"error,omitempty"`
	Scores       []Score       `json:"scores,omitempty"`
}

// Summaries sums up the log of every version of each named prompt, in one
// read: prompt → version number → summary. Versions without entries are
// absent.
func (ws *Workspace) Summaries(ctx context.Context, names ...string) (map[string]map[int]LogSummary, error) {
	out := make(map[string]map[int]LogSummary, len(names))
	err := ws.view(ctx, func(tx *storage.Tx) error {
		for _, name := range names {
			if _, err := GetPrompt(tx, name); err != nil {
				return err
			}
			byVersion := map[int][]LogEntry{}
			err := tx.ScanLogs(name, 0, func(n int, id string, b []byte) error {
				var f summaryFields
				if err := json.Unmarshal(b, &f); err != nil {
					return fmt.Errorf("decode log %s: %w", id, err)
				}
				byVersion[n] = append(byVersion[n], LogEntry{
					InputTokens: f.InputTokens, OutputTokens: f.OutputTokens, Latency: f.Latency,
					Cost: f.Cost, Cached: f.Cached, Error: f.Error, Scores: f.Scores,
				})
				return nil
			})
			if err != nil {
				return err
			}
			sums := make(map[int]LogSummary, len(byVersion))
			for n, entries := range byVersion {
				sums[n] = Summarize(entries)
			}
			out[name] = sums
		}
		return nil
	})
	return out, err
}
