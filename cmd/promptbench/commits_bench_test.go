package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"promptbench/storage"
)

// Commit series: 1,000 successive `commit` processes into a library of
// 10,000 or 50,000 prompts × 10 versions, as a user committing in a loop
// would run them, with the background maintenance they start. Each process
// is timed from exec to exit, and the peak RSS of every process (commits
// and maintenance) is collected: the commits through /usr/bin/time, the
// detached maintenance by making this process their reaper.
//
//	PROMPTBENCH_BENCH_DIR=/tmp/pb-bench go test -run '^$' -bench CommitSeries -benchtime 1x ./cmd/promptbench
//
// The pristine workspaces are cached in PROMPTBENCH_BENCH_DIR (when set) and
// copied for each run, so that runs before and after a change start alike.

const seriesCommits = 1000

// The floor, interleaved with the commits: a process that opens a copy of
// the same store read-write, commits three keys durably and closes it (what
// Badger itself needs), run by this test binary. The machine is shared, so
// its tail shows the noise the commits' tail also carries.
func init() {
	dir := os.Getenv("PROMPTBENCH_BENCH_FLOOR")
	if dir == "" {
		return
	}
	// Deferred, as the command line opens: the series recopies this store
	// before level 0 reaches the fallback's limit.
	st, err := storage.Open(context.Background(), storage.Options{Dir: dir, DeferCompaction: true})
	if err == nil {
		err = st.Update(func(tx *storage.Tx) error {
			name := fmt.Sprintf("floor/p-%d", time.Now().UnixNano())
			if err := tx.PutPrompt(name, []byte("floor")); err != nil {
				return err
			}
			if err := tx.PutVersion(name, 1, []byte("floor version")); err != nil {
				return err
			}
			return tx.AppendAudit([]byte("floor"))
		})
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	os.Exit(0)
}

func BenchmarkCommitSeries10k(b *testing.B) { commitSeries(b, 10_000) }
func BenchmarkCommitSeries50k(b *testing.B) { commitSeries(b, 50_000) }

var seriesFixtures sync.Map // prompts → pristine workspace dir

// seriesFixture returns a pristine workspace of n prompts × 10 versions,
// built once per cache directory.
func seriesFixture(b *testing.B, n int) string {
	b.Helper()
	if dir, ok := seriesFixtures.Load(n); ok {
		return dir.(string)
	}
	bin, _ := benchFixture(b)
	root := filepath.Dir(bin)
	dir := filepath.Join(root, fmt.Sprintf("series-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "done")); err != nil {
		os.RemoveAll(dir)
		if err := buildLargeWorkspace(dir, n, fixtureVersions); err != nil {
			b.Fatal(err)
		}
		// What a user's library looks like after its last command: the
		// background maintenance has run.
		if out, err := exec.Command(bin, "--workspace", dir, "maintain").CombinedOutput(); err != nil {
			b.Fatalf("maintain: %v\n%s", err, out)
		}
		if err := os.WriteFile(filepath.Join(dir, "done"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	seriesFixtures.Store(n, dir)
	return dir
}

func commitSeries(b *testing.B, prompts int) {
	pristine := seriesFixture(b, prompts)
	bin, _ := benchFixture(b)
	if err := becomeSubreaper(); err != nil {
		b.Skipf("cannot collect background processes: %v", err)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ws := filepath.Join(b.TempDir(), "ws")
		if out, err := exec.Command("cp", "-a", pristine, ws).CombinedOutput(); err != nil {
			b.Fatalf("copy fixture: %v\n%s", err, out)
		}
		floorWS := filepath.Join(b.TempDir(), "floor")
		if out, err := exec.Command("cp", "-a", pristine, floorWS).CombinedOutput(); err != nil {
			b.Fatalf("copy fixture: %v\n%s", err, out)
		}
		floorStore := filepath.Join(floorWS, "store")
		var storeFloor []time.Duration
		reaper := startReaper(filepath.Base(bin))
		floor := make([]time.Duration, 0, 50)
		for range 50 {
			d, _ := timedRun(b, bin, "--version")
			floor = append(floor, d)
		}
		b.StartTimer()
		durations := make([]time.Duration, 0, seriesCommits)
		// Commits that started while a maintenance held or awaited the
		// store, and the others: what the tail is made of.
		var contended, free []time.Duration
		peakCommitKB := int64(0)
		text := filepath.Join(b.TempDir(), "v.txt")
		for c := range seriesCommits {
			body := fmt.Sprintf("Series wording %d for {{input}}, run %d\n", c, time.Now().UnixNano())
			if err := os.WriteFile(text, []byte(body), 0o644); err != nil {
				b.Fatal(err)
			}
			name := fmt.Sprintf("bench/prompt-%05d", (c*7919)%prompts)
			if c%200 == 0 && c > 0 {
				// Forty floor commits since the copy: start again from
				// the pristine store.
				os.RemoveAll(floorWS)
				if out, err := exec.Command("cp", "-a", pristine, floorWS).CombinedOutput(); err != nil {
					b.Fatalf("copy fixture: %v\n%s", err, out)
				}
			}
			if c%5 == 0 {
				d, _ := timedRunEnv(b, os.Args[0], []string{"PROMPTBENCH_BENCH_FLOOR=" + floorStore}, "-test.run=^$")
				storeFloor = append(storeFloor, d)
			}
			busy := maintenanceHolds(filepath.Join(ws, "store"))
			d, kb := timedRun(b, bin, "--workspace", ws, "commit", name, "-m", "series", "--file", text)
			durations = append(durations, d)
			if busy {
				contended = append(contended, d)
			} else {
				free = append(free, d)
			}
			peakCommitKB = max(peakCommitKB, kb)
		}
		b.StopTimer()
		maint := reaper.finish()
		slices.Sort(durations)
		slices.Sort(floor)
		pct := func(p float64) time.Duration { return durations[min(len(durations)-1, int(p*float64(len(durations))))] }
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(pct(0.50)), "p50-ms")
		b.ReportMetric(ms(pct(0.90)), "p90-ms")
		b.ReportMetric(ms(pct(0.99)), "p99-ms")
		b.ReportMetric(ms(durations[len(durations)-1]), "max-ms")
		b.ReportMetric(ms(floor[len(floor)/2]), "floor-version-p50-ms")
		slices.Sort(storeFloor)
		fp := func(p float64) time.Duration {
			return storeFloor[min(len(storeFloor)-1, int(p*float64(len(storeFloor))))]
		}
		b.ReportMetric(ms(fp(0.50)), "floor-store-p50-ms")
		b.ReportMetric(ms(fp(0.90)), "floor-store-p90-ms")
		b.ReportMetric(ms(fp(0.99)), "floor-store-p99-ms")
		b.ReportMetric(float64(pct(0.50))/float64(fp(0.50)), "p50/floor-store-p50")
		b.ReportMetric(float64(pct(0.99))/float64(fp(0.99)), "p99/floor-store-p99")
		slices.Sort(contended)
		slices.Sort(free)
		b.ReportMetric(float64(len(contended)), "commits-meeting-maintain")
		if len(contended) > 0 {
			b.ReportMetric(ms(contended[len(contended)/2]), "meeting-p50-ms")
			b.ReportMetric(ms(contended[len(contended)*9/10]), "meeting-p90-ms")
		}
		if len(free) > 0 {
			b.ReportMetric(ms(free[len(free)/2]), "alone-p50-ms")
			b.ReportMetric(ms(free[min(len(free)-1, len(free)*99/100)]), "alone-p99-ms")
		}
		b.ReportMetric(float64(peakCommitKB)/1024, "commit-peak-RSS-MB")
		b.ReportMetric(float64(maint.peakKB)/1024, "maintain-peak-RSS-MB")
		b.ReportMetric(float64(maint.count), "maintain-runs")
		b.ReportMetric(maint.cpu.Seconds(), "maintain-cpu-s")
		b.ReportMetric(ms(time.Duration(maint.longestCPU)), "maintain-longest-cpu-ms")
	}
}

// timedRun execs bin through /usr/bin/time and returns its wall time and
// peak RSS. The rusage a fork child reports includes its parent's memory,
// so the RSS comes from time's small process, not from this one.
func timedRun(b *testing.B, bin string, args ...string) (time.Duration, int64) {
	b.Helper()
	return timedRunEnv(b, bin, nil, args...)
}

func timedRunEnv(b *testing.B, bin string, env []string, args ...string) (time.Duration, int64) {
	b.Helper()
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M", bin}, args...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "PROMPTBENCH_AUTHOR=bench")
	cmd.Env = append(cmd.Env, env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("%v: %v\n%s%s", args, err, out, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	kb, _ := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	return d, kb
}

// becomeSubreaper makes the detached maintenance processes, orphaned when
// the commit that started them exits, children of this process, so that
// their resource usage can be collected.
func becomeSubreaper() error {
	const prSetChildSubreaper = 36
	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

type reaped struct {
	count      int
	peakKB     int64
	cpu        time.Duration
	longestCPU time.Duration
}

type reaper struct {
	comm string
	stop chan struct{}
	done chan reaped
}

// startReaper waits for every orphaned process named comm that becomes
// this process's child. Only those are waited for: the commits' /usr/bin/time
// processes belong to exec.Cmd.
func startReaper(comm string) *reaper {
	r := &reaper{comm: comm[:min(len(comm), 15)], stop: make(chan struct{}), done: make(chan reaped, 1)}
	go r.run()
	return r
}

func (r *reaper) run() {
	var res reaped
	seen := map[int]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	stopping := false
	for {
		live := 0
		for _, pid := range r.children() {
			live++
			if seen[pid] {
				continue
			}
			seen[pid] = true
			wg.Go(func() {
				var ru syscall.Rusage
				var ws syscall.WaitStatus
				// Go's preemption signals interrupt the wait: an EINTR
				// left the process a zombie and the series waiting
				// for it forever.
				for {
					_, err := syscall.Wait4(pid, &ws, 0, &ru)
					if err == syscall.EINTR {
						continue
					}
					if err != nil {
						return
					}
					break
				}
				cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
				mu.Lock()
				res.count++
				res.peakKB = max(res.peakKB, ru.Maxrss)
				res.cpu += cpu
				res.longestCPU = max(res.longestCPU, cpu)
				mu.Unlock()
			})
		}
		if stopping && live == 0 {
			wg.Wait()
			r.done <- res
			return
		}
		select {
		case <-r.stop:
			stopping = true
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// children lists this process's children named r.comm, zombies included.
func (r *reaper) children() []int {
	self := strconv.Itoa(os.Getpid())
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(stat)
		open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || closing < open {
			continue
		}
		f := strings.Fields(s[closing+1:])
		if len(f) > 2 && s[open+1:closing] == r.comm && f[1] == self {
			pids = append(pids, pid)
		}
	}
	return pids
}

// finish waits for the remaining background processes and returns what
// they used.
func (r *reaper) finish() reaped {
	close(r.stop)
	return <-r.done
}

// maintenanceHolds tells whether a maintenance process is alive for the
// store: its lock info names it (on main, any holder whose command is
// maintain; since, the info says it yields).
func maintenanceHolds(store string) bool {
	entries, _ := os.ReadDir(filepath.Join(store, "holders"))
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(store, "holders", e.Name()))
		if err != nil || !strings.Contains(string(data), "maintain") {
			continue
		}
		pidText, _, _ := strings.Cut(e.Name(), "-")
		if pid, err := strconv.Atoi(pidText); err == nil && syscall.Kill(pid, 0) == nil {
			return true
		}
	}
	return false
}
