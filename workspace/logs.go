package workspace

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"promptbench/storage"
)

// LogEntry is one model call of one version. Output and error text are
// stored exactly as received; they are sanitised only for display.
type LogEntry struct {
	ID              string         `json:"id"`
	Prompt          string         `json:"prompt"`
	Version         int            `json:"version"`
	Hash            string         `json:"hash"`
	Source          string         `json:"source"` // cli, tui, eval:<run-id>
	Variables       map[string]any `json:"variables,omitempty"`
	Messages        []Message      `json:"messages"` // rendered
	Model           string         `json:"model"`    // provider/model actually called
	Params          ModelConfig    `json:"params"`
	Output          string         `json:"output"`
	FinishReason    string         `json:"finish_reason,omitempty"`
	InputTokens     int            `json:"input_tokens"`
	OutputTokens    int            `json:"output_tokens"`
	TokensEstimated bool           `json:"tokens_estimated,omitempty"`
	TTFT            time.Duration  `json:"ttft_ns,omitempty"`
	Latency         time.Duration  `json:"latency_ns"`
	Cost            float64        `json:"cost_usd"`
	Cached          bool           `json:"cached,omitempty"`
	Attempts        int            `json:"attempts,omitempty"`
	Error           string         `json:"error,omitempty"`
	Time            time.Time      `json:"time"`
	Scores          []Score        `json:"scores,omitempty"`
	// Run and Case tie the call to an evaluation run and its dataset row;
	// Repeat is the row's repeat index (0 for the first).
	Run    RunID  `json:"run,omitempty"`
	Case   CaseID `json:"case,omitempty"`
	Repeat int    `json:"repeat,omitempty"`
	// Cancelled is a call stopped by its caller (Ctrl-C, Esc) before it
	// finished: Error says so too, but a resume runs it again.
	Cancelled bool            `json:"cancelled,omitempty"`
	Extra     json.RawMessage `json:"extra,omitempty"` // dataset row id, expected value, …
}

// Score is one judgement of a log entry, by a scorer or a person.
type Score struct {
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
	Pass    *bool   `json:"pass,omitempty"`
	Comment string  `json:"comment,omitempty"`
	// Error is a scorer that failed (a bad reply from a judge, a crashed
	// program): the score has no value, and summaries count it apart,
	// never as a zero.
	Error string    `json:"error,omitempty"`
	By    string    `json:"by"`
	Time  time.Time `json:"time"`
}

// LogSummary sums up a version's log.
type LogSummary struct {
	Count        int           `json:"count"`
	Errors       int           `json:"errors"`
	Cached       int           `json:"cached"`
	Scored       int           `json:"scored"`
	MeanScore    float64       `json:"mean_score"`
	Passed       int           `json:"passed"`
	Judged       int           `json:"judged"`                  // scores with a pass/fail
	ScorerErrors int           `json:"scorer_errors,omitempty"` // scorers that failed: no value
	PassRate     float64       `json:"pass_rate"`
	P50Latency   time.Duration `json:"p50_latency_ns"`
	P95Latency   time.Duration `json:"p95_latency_ns"`
	InputTokens  int           `json:"input_tokens"`
	OutputTokens int           `json:"output_tokens"`
	Cost         float64       `json:"cost_usd"`
}

// NewLogID returns a sortable, unique id: the time in hex nanoseconds and
// random bits, so that entries written by two processes never collide.
// The bits come from math/rand/v2, seeded anew in every process: an
// evaluation makes thousands of IDs a second, and crypto/rand made a
// system call for each.
func NewLogID(now time.Time) string {
	var r [4]byte
	binary.LittleEndian.PutUint32(r[:], rand.Uint32())
	return fmt.Sprintf("%016x%s", now.UnixNano(), hex.EncodeToString(r[:]))
}

// AddLogs stores entries, and the response-cache entries their calls
// produced (by request key), through one open of the store: callers batch.
// Each entry is written whole or not at all (one key each); the batch is
// written as a bulk write, in transactions of several hundred KB each
// synced before the next (storage.BulkWriter), instead of one per entry:
// an evaluation writes thousands of entries a second. The values of secret environment variables
// (Options.Secrets) are replaced in every field of every entry, and a
// cached response holding one is not kept: no key reaches the store.
func (ws *Workspace) AddLogs(ctx context.Context, entries []LogEntry, cache map[string][]byte) error {
	if len(entries) == 0 && len(cache) == 0 {
		return nil
	}
	encoded := make([][]byte, len(entries))
	for i, e := range entries {
		b, err := ws.encodeLog(e)
		if err != nil {
			return err
		}
		encoded[i] = b
	}
	size := 0
	for _, b := range encoded {
		size += len(b)
	}
	for _, v := range cache {
		size += len(v)
	}
	due, err := ws.withBulkWriter(ctx, size, func(bw *storage.BulkWriter) error {
		for i, e := range entries {
			if e.Run != "" {
				// The run's index key goes first: a bulk write is not
				// atomic, but a killed process or a power cut leaves a
				// prefix of it (its transactions are synced in order),
				// so an entry that survives is always listed
				// (storage/tx_runlogs.go); a key without its entry is
				// passed over.
				if err := bw.PutRunLog(string(e.Run), e.Prompt, e.Version, e.ID); err != nil {
					return err
				}
			}
			if err := bw.PutLog(e.Prompt, e.Version, e.ID, encoded[i]); err != nil {
				return err
			}
		}
		for k, v := range cache {
			if ws.redactor.inJSON(v) {
				continue // a miss next time costs a call; a stored key costs more
			}
			if err := bw.PutCache(k, v); err != nil {
				return err
			}
		}
		return nil
	})
	ws.maintainIf(due)
	return err
}

// withBulkWriter opens the store read-write for a bulk write (large
// transactions, no compaction in this process: the background
// maintenance does it), after rolling back an import a crash interrupted.
// With a HoldStore context the store may stay open for the next write
// (lease.go); the compaction then waits for its close. A last write of
// size bytes or less (a run's calls) goes to the pending log instead, as
// cheaply as a read opens the store.
func (ws *Workspace) withBulkWriter(ctx context.Context, size int, fn func(*storage.BulkWriter) error) (due bool, err error) {
	hold := holding(ctx)
	st, opened := ws.takeLease(ctx)
	if st == nil {
		opened = time.Now()
		opts := ws.storeOptions(false)
		if !hold && size <= txnBudget {
			opts.Pending = true
		} else {
			opts.Bulk, opts.Batched = true, true
		}
		if st, err = ws.open(ctx, opts); err != nil {
			return false, err
		}
		if err := recoverInterrupted(st.Store); err != nil {
			st.Close()
			return false, err
		}
	}
	bw, err := st.NewBulkWriter()
	if err == nil {
		if err = fn(bw); err != nil {
			bw.Cancel()
		} else {
			err = bw.Flush()
		}
	}
	if err != nil {
		st.Close()
		ws.returnLease() // when st was the held store
		return false, err
	}
	if hold {
		ws.keepLease(st, opened)
		return false, nil
	}
	due = st.CompactionDue()
	err = st.Close()
	ws.returnLease()
	if err != nil {
		return false, fmt.Errorf("close store of %s: %w", ws.Dir, err)
	}
	return due, nil
}

// txnBudget is what one transaction may carry: Badger refuses a
// transaction above 15% of its memtable (2 MB here), counting a value
// stored in the value log (over 64 KB) as a pointer.
const txnBudget = 200 << 10

// putLog is the one place a log entry is written by itself (scores); AddLogs
// encodes through encodeLog too: every writer gets the redaction.
func (ws *Workspace) putLog(tx *storage.Tx, e LogEntry) error {
	b, err := ws.encodeLog(e)
	if err != nil {
		return err
	}
	return tx.PutLog(e.Prompt, e.Version, e.ID, b)
}

// encodeLog encodes e with the secrets replaced.
func (ws *Workspace) encodeLog(e LogEntry) ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode log %s: %w", e.ID, err)
	}
	if b, err = ws.redactor.JSON(b); err != nil {
		return nil, fmt.Errorf("encode log %s: %w", e.ID, err)
	}
	return b, nil
}

// Logs returns the entries of the version ref names, oldest first, and
// their summary.
func (ws *Workspace) Logs(ctx context.Context, ref string) (Version, []LogEntry, LogSummary, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return Version{}, nil, LogSummary{}, err
	}
	var v Version
	var entries []LogEntry
	err = ws.view(ctx, func(tx *storage.Tx) error {
		_, v, err = resolveRef(tx, r)
		if err != nil {
			return err
		}
		return tx.ScanLogs(v.Prompt, v.Number, func(_ int, id string, b []byte) error {
			var e LogEntry
			if err := json.Unmarshal(b, &e); err != nil {
				return fmt.Errorf("decode log %s: %w", id, err)
			}
			entries = append(entries, e)
			return nil
		})
	})
	if err != nil {
		return Version{}, nil, LogSummary{}, err
	}
	return v, entries, Summarize(entries), nil
}

// Summarize computes count, errors, mean score, pass rate, latency
// percentiles (nearest rank, over successful calls), tokens and cost.
func Summarize(entries []LogEntry) LogSummary {
	var s LogSummary
	var latencies []time.Duration
	var scoreSum float64
	for _, e := range entries {
		s.Count++
		s.InputTokens += e.InputTokens
		s.OutputTokens += e.OutputTokens
		s.Cost += e.Cost
		if e.Cached {
			s.Cached++
		}
		if e.Error != "" {
			s.Errors++
			continue
		}
		if !e.Cached {
			latencies = append(latencies, e.Latency)
		}
		for _, sc := range e.Scores {
			if sc.Error != "" {
				s.ScorerErrors++
				continue
			}
			s.Scored++
			scoreSum += sc.Value
			if sc.Pass != nil {
				s.Judged++
				if *sc.Pass {
					s.Passed++
				}
			}
		}
	}
	if s.Scored > 0 {
		s.MeanScore = scoreSum / float64(s.Scored)
	}
	if s.Judged > 0 {
		s.PassRate = float64(s.Passed) / float64(s.Judged)
	}
	slices.Sort(latencies)
	s.P50Latency = percentile(latencies, 0.50)
	s.P95Latency = percentile(latencies, 0.95)
	return s
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(rank, 0)]
}
