package eval_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// fakeServerEnv makes the test binary serve a fake OpenAI API instead of
// running tests, so that a benchmark's CPU figures are the engine's alone.
const fakeServerEnv = "PROMPTBENCH_FAKEOPENAI_DELAY"

func TestMain(m *testing.M) {
	if d := os.Getenv(fakeServerEnv); d != "" {
		serveFake(d)
		return
	}
	os.Exit(m.Run())
}

// serveFake answers every call after delay, prints the base URL and runs
// until stdin closes.
func serveFake(delay string) {
	d, err := time.ParseDuration(delay)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	srv := fakeopenai.NewUnrecorded(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: d, Content: "a short answer", PromptTokens: 12, CompletionTokens: 3}
	})
	fmt.Println(srv.BaseURL())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
}

// startFake runs the fake server in a child process (falling back to this
// process if that fails) and returns its base URL, whether it is
// separate, and a stop function returning the child's CPU time.
func startFake(b *testing.B, delay time.Duration) (string, bool, func() time.Duration) {
	exe, err := os.Executable()
	if err == nil {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), fakeServerEnv+"="+delay.String())
		cmd.Stderr = os.Stderr
		stdin, err1 := cmd.StdinPipe()
		stdout, err2 := cmd.StdoutPipe()
		if err1 == nil && err2 == nil && cmd.Start() == nil {
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err == nil && strings.HasPrefix(line, "http://") {
				return strings.TrimSpace(line), true, func() time.Duration {
					stdin.Close()
					cmd.Wait()
					u := cmd.ProcessState.SysUsage().(*syscall.Rusage)
					return tv(u.Utime) + tv(u.Stime)
				}
			}
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
	b.Log("fake server runs in-process: CPU figures include it")
	srv := fakeopenai.NewUnrecorded(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: delay, Content: "a short answer", PromptTokens: 12, CompletionTokens: 3}
	})
	return srv.BaseURL(), false, func() time.Duration { srv.Close(); return 0 }
}

func tv(t syscall.Timeval) time.Duration {
	return time.Duration(t.Sec)*time.Second + time.Duration(t.Usec)*time.Microsecond
}

func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return tv(u.Utime) + tv(u.Stime)
}

// BenchmarkSession2000 runs 2,000 cases through one variant answered
// after 50 ms each at concurrency 32, without the cache, writing every log
// entry to a real workspace: ideally 2000 × 0.05 / 32 = 3.125 s per run.
func BenchmarkSession2000(b *testing.B) {
	const (
		calls       = 2000
		concurrency = 32
		delay       = 50 * time.Millisecond
	)
	base, separate, stop := startFake(b, delay)
	reg := newRegistry(b, base, nil)
	ws := sessionWorkspace(b)
	cases := make([]eval.Case, calls)
	for i := range cases {
		cases[i] = eval.Case{ID: workspace.CaseID(fmt.Sprint(i)), Vars: map[string]any{"name": fmt.Sprint("user ", i)}}
	}
	ideal := time.Duration(calls) * delay / concurrency

	b.ResetTimer()
	cpu0, start := cpuTime(), time.Now()
	for range b.N {
		s := newSession(b, ws, eval.SessionOptions{Client: reg, Concurrency: concurrency, NoCache: true, Source: "eval:bench"},
			eval.Variant{Ref: "greet@1"})
		recorded := 0
		drain(b, s.Run(context.Background(), eval.Cases(cases...)), func(ev eval.SessionEvent) {
			switch ev := ev.(type) {
			case eval.Finished:
				if ev.Result.Err != nil {
					b.Fatal(ev.Result.Err)
				}
			case eval.Recorded:
				recorded += len(ev.Logs)
			case eval.FlushFailed:
				b.Fatal(ev.Err)
			}
		})
		if recorded != calls {
			b.Fatalf("%d of %d calls recorded", recorded, calls)
		}
	}
	wall, cpu := time.Since(start), cpuTime()-cpu0
	b.StopTimer()
	serverCPU := stop()

	perRun := wall / time.Duration(b.N)
	b.ReportMetric(perRun.Seconds(), "wall-s/run")
	b.ReportMetric(ideal.Seconds(), "ideal-s/run")
	b.ReportMetric(float64(perRun)/float64(ideal), "wall/ideal")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*calls), "cpu-µs/call")
	if separate {
		b.ReportMetric(float64(serverCPU.Microseconds())/float64(b.N*calls), "server-cpu-µs/call")
	}
}
