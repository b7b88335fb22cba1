package eval_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/eval/provider"
	"promptbench/workspace"
)

// sessionWorkspace is a real workspace in a temp dir holding "greet" in
// two versions.
func sessionWorkspace(t testing.TB) *workspace.Workspace {
	t.Helper()
	ctx := context.Background()
	ws, _, err := workspace.Init(ctx, t.TempDir(), workspace.Options{
		Getenv: func(string) string { return "" },
		Author: func() string { return "tester" },
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"Hello {{name}}", "Hi there {{name}}, how are you?"} {
		_, err := ws.Commit(ctx, "greet", workspace.Draft{
			Messages: []workspace.Message{{Role: "user", Content: text}},
			Config:   workspace.ModelConfig{Model: "fake/m"},
			Message:  fmt.Sprintf("v%d", i+1),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// drain reads a session's events until the channel closes.
func drain(t testing.TB, ch <-chan eval.SessionEvent, each func(eval.SessionEvent)) {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return
			}
			if each != nil {
				each(ev)
			}
		case <-timeout:
			t.Fatal("the session did not end")
		}
	}
}

// The terminal UI's way: two variants stream side by side, the user
// cancels one, and scores the other by the log ID the session reports.
func TestSessionCompareCancelOneScoreTheOther(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(func(_ int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.Contains(req.Messages[0].Content, "how are you") {
			return fakeopenai.Reply{Delay: time.Hour} // stalls until cancelled
		}
		return fakeopenai.Reply{Content: "hello back, Ada", ChunkDelay: time.Millisecond}
	})
	defer srv.Close()
	ctx := context.Background()
	s, err := eval.NewSession(ctx, eval.SessionOptions{
		Recorder: ws, Client: newRegistry(t, srv.BaseURL(), nil), Stream: true, Source: "tui",
		FlushEvery: 20 * time.Millisecond,
	}, []eval.Variant{{ID: "a", Ref: "greet@1"}, {ID: "b", Ref: "greet@2"}})
	if err != nil {
		t.Fatal(err)
	}
	var streamed strings.Builder
	finished := map[string]eval.Finished{}
	recorded := map[string]eval.LogRef{}
	drain(t, s.Run(ctx, eval.Cases(eval.Case{ID: "form", Vars: map[string]any{"name": "Ada"}})), func(ev eval.SessionEvent) {
		switch ev := ev.(type) {
		case eval.Started:
			if ev.Variant == "b" {
				go func() { time.Sleep(50 * time.Millisecond); s.Cancel("b") }()
			}
		case eval.Streamed:
			if ev.Variant == "a" {
				streamed.WriteString(ev.Text)
			}
		case eval.Finished:
			finished[ev.Variant] = ev
		case eval.Recorded:
			for _, l := range ev.Logs {
				recorded[l.Variant] = l
			}
		case eval.FlushFailed:
			t.Errorf("flush failed: %v", ev.Err)
		}
	})
	if got := streamed.String(); got != "hello back, Ada" {
		t.Errorf("a streamed %q", got)
	}
	a, b := finished["a"], finished["b"]
	if a.Result.Err != nil || a.Entry.Output != "hello back, Ada" || a.Entry.Source != "tui" || a.Entry.Version != 1 {
		t.Errorf("a finished %+v", a)
	}
	if !errors.Is(b.Result.Err, context.Canceled) || !b.Entry.Cancelled || b.Entry.Version != 2 {
		t.Errorf("b finished err=%v cancelled=%v version=%d, want cancelled", b.Result.Err, b.Entry.Cancelled, b.Entry.Version)
	}
	ref, ok := recorded["a"]
	if !ok || ref.ID != a.Entry.ID || recorded["b"].ID != b.Entry.ID {
		t.Fatalf("recorded %+v, want both entries", recorded)
	}
	pass := true
	if _, err := ws.AddScore(ctx, ref.Prompt, ref.Version, ref.ID, workspace.Score{Name: "human", Value: 5, Pass: &pass}); err != nil {
		t.Fatalf("score the entry the session reported: %v", err)
	}
	_, entries, sum, err := ws.Logs(ctx, "greet@1")
	if err != nil || len(entries) != 1 || len(entries[0].Scores) != 1 || sum.Passed != 1 {
		t.Errorf("greet@1 log = %+v, %+v, %v", entries, sum, err)
	}
	_, entries, _, _ = ws.Logs(ctx, "greet@2")
	if len(entries) != 1 || !entries[0].Cancelled {
		t.Errorf("greet@2 log = %+v, want the cancelled call", entries)
	}
}

// countingRecorder counts the store writes a session makes and can refuse
// the first ones.
type countingRecorder struct {
	*workspace.Workspace
	writes, reads atomic.Int32
	refuse        atomic.Int32
}

func (r *countingRecorder) AddLogs(ctx context.Context, e []workspace.LogEntry, c map[string][]byte) error {
	if r.refuse.Add(-1) >= 0 {
		return errors.New("store is locked")
	}
	r.writes.Add(1)
	return r.Workspace.AddLogs(ctx, e, c)
}

func (r *countingRecorder) CacheGetMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	r.reads.Add(1)
	return r.Workspace.CacheGetMany(ctx, keys)
}

// The evaluation's way: a long stream of cases, pulled only as fast as the
// calls finish, written in batches, every entry tied to its run and case.
func TestSessionStreamsManyCasesInBoundedMemory(t *testing.T) {
	const n = 10_000
	ws := sessionWorkspace(t)
	rec := &countingRecorder{Workspace: ws}
	ctx := context.Background()
	reg, err := provider.NewRegistry(nil, provider.Options{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	const concurrency, chunk = 16, 128
	s, err := eval.NewSession(ctx, eval.SessionOptions{
		Recorder: rec, Client: reg, Concurrency: concurrency, CacheChunk: chunk, FlushCount: 500,
		Source: "eval:r1", Run: "r1",
	}, []eval.Variant{{Ref: "greet@1", Model: "echo/echo"}})
	if err != nil {
		t.Fatal(err)
	}
	var pulled, done, maxAhead atomic.Int64
	cases := func(yield func(eval.Case, error) bool) {
		for i := range n {
			if ahead := pulled.Add(1) - done.Load(); ahead > maxAhead.Load() {
				maxAhead.Store(ahead)
			}
			if !yield(eval.Case{ID: workspace.CaseID(fmt.Sprint(i + 1)), Vars: map[string]any{"name": fmt.Sprint("user", i)}}, nil) {
				return
			}
		}
	}
	recordedIDs := map[string]bool{}
	drain(t, s.Run(ctx, iter.Seq2[eval.Case, error](cases)), func(ev eval.SessionEvent) {
		switch ev := ev.(type) {
		case eval.Finished:
			done.Add(1)
			if ev.Result.Err != nil {
				t.Errorf("case %s: %v", ev.Case.ID, ev.Result.Err)
			}
		case eval.Recorded:
			for _, l := range ev.Logs {
				recordedIDs[string(l.Case)] = true
			}
		case eval.FlushFailed:
			t.Errorf("flush failed: %v", ev.Err)
		}
	})
	if len(recordedIDs) != n {
		t.Fatalf("recorded %d cases, want %d", len(recordedIDs), n)
	}
	// The stream is read a chunk ahead at most, never all at once.
	if got := maxAhead.Load(); got > 2*chunk+concurrency+256 {
		t.Errorf("the session read %d cases ahead of the finished ones", got)
	}
	if w := rec.writes.Load(); w > n/500+n/100 {
		t.Errorf("%d store writes for %d entries: not batched", w, n)
	}
	_, entries, _, err := ws.Logs(ctx, "greet@1")
	if err != nil || len(entries) != n {
		t.Fatalf("log has %d entries, %v", len(entries), err)
	}
	if e := entries[0]; e.Run != "r1" || e.Case == "" || e.Source != "eval:r1" {
		t.Errorf("entry = run %q case %q source %q", e.Run, e.Case, e.Source)
	}
}

// Identical requests are answered from the cache, the entries waiting in a
// batch included; a repeat is a call of its own.
func TestSessionCache(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{} })
	defer srv.Close()
	ctx := context.Background()
	run := func(cases ...eval.Case) (cached int) {
		s, err := eval.NewSession(ctx, eval.SessionOptions{Recorder: ws, Client: newRegistry(t, srv.BaseURL(), nil), Concurrency: 1, CacheChunk: 1},
			[]eval.Variant{{Ref: "greet@1"}})
		if err != nil {
			t.Fatal(err)
		}
		drain(t, s.Run(ctx, eval.Cases(cases...)), func(ev eval.SessionEvent) {
			if f, ok := ev.(eval.Finished); ok && f.Result.Cached {
				cached++
			}
		})
		return cached
	}
	ada := map[string]any{"name": "Ada"}
	if got := run(eval.Case{ID: "1", Vars: ada}, eval.Case{ID: "2", Vars: ada}, eval.Case{ID: "3", Vars: ada, Repeat: 1}); got != 1 {
		t.Errorf("first run: %d cached, want 1 (case 2 repeats case 1 while it waits to be written)", got)
	}
	if srv.Requests() != 2 {
		t.Errorf("%d requests, want 2", srv.Requests())
	}
	if got := run(eval.Case{ID: "1", Vars: ada}, eval.Case{ID: "3", Vars: ada, Repeat: 1}); got != 2 {
		t.Errorf("second run: %d cached, want 2", got)
	}
}

// A store that refuses a write (locked by another process) gets the batch
// again with the next one; nothing is lost.
func TestSessionFlushRetries(t *testing.T) {
	ws := sessionWorkspace(t)
	rec := &countingRecorder{Workspace: ws}
	rec.refuse.Store(1)
	ctx := context.Background()
	reg, _ := provider.NewRegistry(nil, provider.Options{Getenv: func(string) string { return "" }})
	s, err := eval.NewSession(ctx, eval.SessionOptions{Recorder: rec, Client: reg, FlushCount: 2, Concurrency: 1},
		[]eval.Variant{{Ref: "greet@1", Model: "echo/echo"}})
	if err != nil {
		t.Fatal(err)
	}
	var failed, recorded int
	var mu sync.Mutex
	cases := make([]eval.Case, 5)
	for i := range cases {
		cases[i] = eval.Case{ID: workspace.CaseID(fmt.Sprint(i)), Vars: map[string]any{"name": fmt.Sprint(i)}}
	}
	drain(t, s.Run(ctx, eval.Cases(cases...)), func(ev eval.SessionEvent) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case eval.FlushFailed:
			failed++
			if ev.Final {
				t.Errorf("final flush failed: %v", ev.Err)
			}
		case eval.Recorded:
			recorded += len(ev.Logs)
		}
	})
	if failed != 1 || recorded != 5 {
		t.Errorf("failed %d, recorded %d; want 1 and 5", failed, recorded)
	}
}

// Cancelling the session stops what runs, starts nothing more and still
// records what finished.
func TestSessionCancel(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(func(n int, _ *fakeopenai.Request) fakeopenai.Reply {
		if n <= 2 {
			return fakeopenai.Reply{}
		}
		return fakeopenai.Reply{Delay: time.Hour}
	})
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := eval.NewSession(ctx, eval.SessionOptions{Recorder: ws, Client: newRegistry(t, srv.BaseURL(), nil), Concurrency: 3, NoCache: true},
		[]eval.Variant{{Ref: "greet@1"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := func(yield func(eval.Case, error) bool) {
		for i := 0; ; i++ { // endless: only the cancel ends it
			if !yield(eval.Case{ID: workspace.CaseID(fmt.Sprint(i)), Vars: map[string]any{"name": fmt.Sprint(i)}}, nil) {
				return
			}
		}
	}
	ok, cancelled, recorded := 0, 0, 0
	drain(t, s.Run(ctx, cases), func(ev eval.SessionEvent) {
		switch ev := ev.(type) {
		case eval.Finished:
			if ev.Result.Err == nil {
				if ok++; ok == 2 {
					go func() { time.Sleep(30 * time.Millisecond); cancel() }()
				}
			} else if ev.Entry.Cancelled {
				cancelled++
			}
		case eval.Recorded:
			recorded += len(ev.Logs)
		}
	})
	if ok != 2 || cancelled == 0 || recorded != ok+cancelled {
		t.Errorf("ok %d, cancelled %d, recorded %d", ok, cancelled, recorded)
	}
}

func TestNewSessionRefusesBadVariants(t *testing.T) {
	ws := sessionWorkspace(t)
	ctx := context.Background()
	reg, _ := provider.NewRegistry(nil, provider.Options{Getenv: func(string) string { return "" }})
	opts := eval.SessionOptions{Recorder: ws, Client: reg}
	for name, tc := range map[string]struct {
		v    []eval.Variant
		want error
	}{
		"unknown prompt": {[]eval.Variant{{Ref: "nope"}}, workspace.ErrNotFound},
		"unknown model":  {[]eval.Variant{{Ref: "greet", Model: "nope/x"}}, provider.ErrUnknownProvider},
		"same twice":     {[]eval.Variant{{Ref: "greet", Model: "echo/echo"}, {Ref: "greet", Model: "echo/echo"}}, eval.ErrDuplicateVariant},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := eval.NewSession(ctx, opts, tc.v); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
