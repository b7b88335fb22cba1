//go:build linux

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
)

// The crash soak: real promptbench processes that write (commit, label,
// tag, import, run, maintain, and the maintain writers start in the
// background) are killed with SIGKILL at random instants, and after each
// one fresh processes check that the workspace opens by itself, that every
// change a process reported is there, and that nothing is half-applied;
// every few kills the library must survive export → import → export.
//
//	go test -run TestSoak ./cmd/promptbench                      # 30 kills
//	PROMPTBENCH_SOAK=1000 go test -run TestSoak -timeout 60m ./cmd/promptbench
//	PROMPTBENCH_SOAK_SEED=42 go test -run TestSoak ./cmd/promptbench   # same choices again
//
// A seed repeats the commands, their order and the kill delays; where a
// kill lands inside a process still depends on the machine.
const (
	defaultSoakKills = 30
	epochKills       = 100 // kills per workspace before a fresh one
	roundTripEvery   = 10  // iterations between export → import checks
	maxSoakFailures  = 5   // stop after this many broken workspaces
)

type soak struct {
	t       *testing.T
	r       runner
	rng     *rand.Rand
	seed    uint64
	tmp     string
	ws      string
	epoch   int
	model   *soakModel
	imports struct{ small, big importSource }
	// exportFile is the workspace's export_file, "" when it keeps none.
	exportFile string
	stats      soakStats
	fails      []string
	// typical is each command's usual run time, learnt from the runs that
	// finished: kills aim inside it so that few land after the exit.
	typical map[string]time.Duration
}

type soakStats struct {
	kills, finished, failed map[string]int
	unopenable, lost        int
	litter                  int // temporary export files kills left behind
	exportEpochs            int // workspaces that kept an export_file
	problems                map[string]int
	roundTrips              int
}

func (st soakStats) totalKills() int {
	n := 0
	for _, k := range st.kills {
		n += k
	}
	return n
}

func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash soak runs a few hundred processes; skipped with -short")
	}
	target := defaultSoakKills
	if v := os.Getenv("PROMPTBENCH_SOAK"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("PROMPTBENCH_SOAK=%q: want a number of kills", v)
		}
		target = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("PROMPTBENCH_SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("PROMPTBENCH_SOAK_SEED=%q: want a number", v)
		}
		seed = n
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the soak builds promptbench and needs the go command")
	}
	if _, err := os.Stat("/proc/self/exe"); err != nil {
		t.Skip("the soak finds background processes through /proc")
	}
	start := time.Now()
	s := &soak{t: t, rng: rand.New(rand.NewPCG(seed, 0x50a4)), seed: seed, tmp: t.TempDir(), typical: map[string]time.Duration{}}
	s.stats = soakStats{kills: map[string]int{}, finished: map[string]int{}, failed: map[string]int{}, problems: map[string]int{}}
	s.r = runner{bin: soakBinary(t, s.tmp), configHome: filepath.Join(s.tmp, "config")}
	// Nothing the soak started may outlive it, the detached maintain included.
	t.Cleanup(func() { waitStrays(s.r.bin, 0) })
	srv := fakeopenai.NewUnrecorded(func(n int, _ *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: time.Duration(n*37%150) * time.Millisecond, Content: fmt.Sprintf("Soak answer %d.", n)}
	})
	t.Cleanup(srv.Close)
	s.prepareImports()
	s.newEpoch(srv.BaseURL())
	t.Logf("soak seed %d (PROMPTBENCH_SOAK_SEED=%d repeats it), %d kills", seed, seed, target)

	iter := 0
	epochStart := 0
	for s.stats.totalKills() < target && iter < 8*target && len(s.fails) < maxSoakFailures {
		iter++
		st := s.step(iter)
		probs := st.probs
		if iter%roundTripEvery == 0 && len(probs) == 0 {
			probs = s.roundTrip(iter)
		}
		if len(probs) > 0 {
			s.fail(iter, st, probs)
			if slices.ContainsFunc(probs, func(p problem) bool { return !p.usable() }) {
				s.newEpoch(srv.BaseURL())
				epochStart = s.stats.totalKills()
				continue
			}
		}
		if s.stats.totalKills()-epochStart >= epochKills && s.stats.totalKills() < target {
			s.newEpoch(srv.BaseURL())
			epochStart = s.stats.totalKills()
		}
	}
	s.report(iter, time.Since(start))
	if len(s.fails) > 0 {
		t.Errorf("soak seed %d: %d failures (rerun with PROMPTBENCH_SOAK_SEED=%d):\n%s", seed, len(s.fails), seed, strings.Join(s.fails, "\n"))
	}
}

// stepResult is one iteration: the process, how it ended, what it left in
// the store directory, and what the checks found.
type stepResult struct {
	a       action
	o       outcome
	delay   time.Duration
	listing string
	probs   []problem
}

// step runs one writing process, kills it (or lets it finish), deals with
// the background maintenance it started, and checks the workspace.
func (s *soak) step(iter int) stepResult {
	a := s.pickAction(iter)
	delay := s.pickDelay(a.kind, a.late)
	// Drawn every time, so that the sequence a seed gives does not depend
	// on whether a background process happened to start.
	killBackground, backgroundDelay := s.rng.IntN(2) == 0, time.Duration(s.rng.IntN(80))*time.Millisecond
	o, err := s.r.start(a.spec, delay)
	if err != nil {
		s.t.Fatalf("start %v: %v", a.spec.args, err)
	}
	listing := storeListing(s.ws)
	var probs []problem
	switch {
	case o.killed:
		s.stats.kills[a.kind]++
		a.unknown()
	case o.code == 0:
		s.stats.finished[a.kind]++
		s.learn(a.kind, o.took)
		if err := a.reported(o); err != nil {
			probs = append(probs, problem{"failed", err.Error()})
		}
	default:
		s.stats.failed[a.kind]++
		a.unknown()
		probs = append(probs, problem{"failed", fmt.Sprintf("%s exited %d (not killed): %s", a.kind, o.code, firstLines(o.err))})
	}
	if len(strays(s.r.bin)) > 0 && killBackground {
		time.Sleep(backgroundDelay)
		for _, pid := range strays(s.r.bin) {
			if kill(pid) {
				s.stats.kills["maintain (background)"]++
			}
		}
	}
	if n := waitStrays(s.r.bin, time.Minute); n > 0 {
		probs = append(probs, problem{"failed", fmt.Sprintf("%d background maintain processes still ran after a minute", n)})
	}
	probs = append(probs, s.check(a.touched)...)
	return stepResult{a: a, o: o, delay: delay, listing: listing, probs: probs}
}

// storeListing names the store's files and sizes: what a kill left behind,
// before the next process touches it.
func storeListing(ws string) string {
	entries, err := os.ReadDir(filepath.Join(ws, "store"))
	if err != nil {
		return err.Error()
	}
	var parts []string
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && !e.IsDir() {
			parts = append(parts, fmt.Sprintf("%s %d", e.Name(), fi.Size()))
		}
	}
	return strings.Join(parts, ", ")
}

// pickDelay: most kills land in the first 80 ms, where a command opens the
// store and writes, and within the time the command usually takes; late
// ones reach imports and model calls mid-write. A negative delay lets the
// process finish.
func (s *soak) pickDelay(kind string, late bool) time.Duration {
	finish, lateRoll, at := s.rng.IntN(100), s.rng.IntN(100), s.rng.Float64()
	if finish < 15 {
		return -1
	}
	lateShare := 10
	if late {
		lateShare = 50
	}
	typical, known := s.typical[kind]
	if lateRoll < lateShare {
		// 80 ms up to a little past the usual end, within 400 ms.
		end := min(max(typical*6/5, 120*time.Millisecond), 400*time.Millisecond)
		if !known {
			end = 400 * time.Millisecond
		}
		return 80*time.Millisecond + time.Duration(at*float64(end-80*time.Millisecond))
	}
	window := 80 * time.Millisecond
	if known && typical*6/5 < window {
		window = typical * 6 / 5
	}
	return time.Duration(at * float64(window))
}

// learn keeps a moving average of how long kind takes to finish.
func (s *soak) learn(kind string, took time.Duration) {
	if d, ok := s.typical[kind]; ok {
		took = (4*d + took) / 5
	}
	s.typical[kind] = took
}

// newEpoch starts over on a fresh workspace: the demo library, a local
// model server, and the soak's own prompts, each with one version.
func (s *soak) newEpoch(baseURL string) {
	s.t.Helper()
	if s.ws != "" {
		s.stats.litter += s.litter()
		os.RemoveAll(filepath.Dir(s.ws))
	}
	s.epoch++
	// A project folder holding the workspace, as in a repository: the
	// export file, when the workspace keeps one, goes beside it.
	project := filepath.Join(s.tmp, fmt.Sprintf("project-%d", s.epoch))
	s.ws = filepath.Join(project, ".promptbench")
	s.model = newSoakModel()
	s.mustRun("", "init", "--demo")
	cfg, err := os.OpenFile(filepath.Join(s.ws, "config.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(cfg, "\nproviders:\n  - name: local\n    kind: openai\n    base_url: %s\n", baseURL)
	// Half the workspaces keep an export file current on every change,
	// one more file every writing command rewrites.
	s.exportFile = ""
	if s.rng.IntN(2) == 0 {
		fmt.Fprintf(cfg, "export_file: prompts.yaml\n")
		s.exportFile = filepath.Join(project, "prompts.yaml")
		s.stats.exportEpochs++
	}
	if err := cfg.Close(); err != nil {
		s.t.Fatal(err)
	}
	for _, p := range soakPrompts {
		out := s.mustRun(fmt.Sprintf("First words of %s for {{q}}.\n", p), "commit", p, "-m", "soak start")
		if err := s.model.commitReported(out); err != nil {
			s.t.Fatal(err)
		}
	}
}

func (s *soak) mustRun(stdin string, args ...string) string {
	s.t.Helper()
	o, err := s.r.start(procSpec{args: append([]string{"--workspace", s.ws}, args...), stdin: stdin}, -1)
	if err != nil || !o.ok() {
		s.t.Fatalf("promptbench %s: %v exit %d\n%s", strings.Join(args, " "), err, o.code, o.err)
	}
	return o.out
}

// fail records a broken workspace: the seed, the iteration, the command
// and a copy of the workspace kept outside the test's temporary folder.
func (s *soak) fail(iter int, st stepResult, probs []problem) {
	kept := "(not kept)"
	if dir, err := os.MkdirTemp("", "promptbench-soak-"); err == nil {
		if err := os.CopyFS(filepath.Join(dir, "workspace"), os.DirFS(s.ws)); err == nil {
			kept = filepath.Join(dir, "workspace")
		}
	}
	fate := "finished"
	switch {
	case st.o.killed:
		fate = fmt.Sprintf("killed after %v", st.delay)
	case st.o.code != 0:
		fate = fmt.Sprintf("exit %d", st.o.code)
	}
	var lines []string
	for _, p := range probs {
		s.stats.problems[p.kind]++
		switch p.kind {
		case "unopenable":
			s.stats.unopenable++
		case "lost":
			s.stats.lost++
		}
		lines = append(lines, "    "+p.String())
	}
	msg := fmt.Sprintf("seed %d iteration %d: promptbench %s (%s); workspace kept in %s\n    store files after it: %s\n%s",
		s.seed, iter, strings.Join(st.a.spec.args[2:], " "), fate, kept, st.listing, strings.Join(lines, "\n"))
	s.t.Log(msg)
	s.fails = append(s.fails, msg)
}

// litter counts the temporary files of export_file rewrites that kills
// left in the project folder.
func (s *soak) litter() int {
	if s.exportFile == "" {
		return 0
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.exportFile), "."+filepath.Base(s.exportFile)+".*"))
	return len(left)
}

// report logs the soak's figures.
func (s *soak) report(iters int, took time.Duration) {
	var kinds []string
	for k := range s.stats.kills {
		kinds = append(kinds, k)
	}
	for k := range s.stats.finished {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for k := range s.stats.failed {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	var b strings.Builder
	fmt.Fprintf(&b, "soak seed %d: %d kills in %d iterations over %d workspaces (%d keeping an export_file), %d export → import round trips, %v\n",
		s.seed, s.stats.totalKills(), iters, s.epoch, s.stats.exportEpochs, s.stats.roundTrips, took.Round(time.Millisecond))
	fmt.Fprintf(&b, "  %-24s %6s %8s %6s\n", "command", "killed", "finished", "failed")
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %-24s %6d %8d %6d\n", k, s.stats.kills[k], s.stats.finished[k], s.stats.failed[k])
	}
	fmt.Fprintf(&b, "  unopenable stores %d, lost reported changes %d, problems by kind %v\n", s.stats.unopenable, s.stats.lost, s.stats.problems)
	fmt.Fprintf(&b, "  temporary export files left beside export_file by kills: %d", s.stats.litter+s.litter())
	s.t.Log(b.String())
}
