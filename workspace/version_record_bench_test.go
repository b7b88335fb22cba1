package workspace

import (
	"encoding/json"
	"runtime"
	"syscall"
	"testing"
	"time"

	"promptbench/workspace/exportyaml"
)

// BenchmarkVersionRecordWrite: one version record of the benchmark
// library written as export writes it (decoded in place, hash and keys
// checked, YAML written).
func BenchmarkVersionRecordWrite(b *testing.B) {
	messages := []Message{
		{Role: RoleSystem, Content: "You are a careful assistant for team {{team}}."},
		{Role: RoleUser, Content: "Task 42, revision 3: handle {{input}} politely."},
	}
	cfg := ModelConfig{Model: "openai/gpt-4o-mini"}
	v := Version{Prompt: "bench/prompt-00042", Number: 4, Hash: ContentHash(messages, cfg), Parent: 3,
		Messages: messages, Config: cfg, Variables: []string{"input", "team"}, Message: "revision 3",
		Author: "bench", Time: time.Date(2026, 11, 30, 13, 36, 9, 853790466, time.UTC)}
	rec, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	var vw VersionRecordWriter
	var w exportyaml.Writer
	b.ReportAllocs()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	for b.Loop() {
		w.Reset()
		if err := vw.Write(&w, v.Prompt, v.Number, rec); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time of this thread: steadier than wall time on a busy machine.
	b.ReportMetric(float64(threadCPU()-start)/float64(b.N), "cpu-ns/op")
}

// threadCPU is the CPU time (user and system) of the calling thread, in
// nanoseconds; 0 where it cannot be read.
func threadCPU() int64 {
	const rusageThread = 1 // RUSAGE_THREAD, Linux
	var ru syscall.Rusage
	if syscall.Getrusage(rusageThread, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
