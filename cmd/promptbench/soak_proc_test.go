//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// soakBinary builds promptbench once into dir. The soak runs a separately
// built binary rather than the test binary: the background `maintain` that
// writers start is then recognisable by its executable's path, so the soak
// can wait for it, kill it, and leave nothing running behind it.
func soakBinary(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "promptbench")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build promptbench: %v\n%s", err, out)
	}
	return bin
}

// soakEnv is the environment of every process the soak starts: isolated
// from the user's configuration and workspace variables.
func soakEnv(configHome string, background bool) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PROMPTBENCH_") || strings.HasPrefix(kv, "XDG_CONFIG_HOME=") || strings.HasPrefix(kv, "OPENAI_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PROMPTBENCH_AUTHOR=soak", "NO_COLOR=1", "XDG_CONFIG_HOME="+configHome)
	if !background {
		env = append(env, "PROMPTBENCH_NO_BACKGROUND=1")
	}
	return env
}

// procSpec is one process to start.
type procSpec struct {
	args       []string
	stdin      string
	background bool     // writers may start the detached maintain
	env        []string // added to the soak's environment (a second author)
}

// outcome is how a process ended.
type outcome struct {
	killed   bool // ended by our SIGKILL while still running
	code     int  // exit code when not killed
	out, err string
	took     time.Duration
}

func (o outcome) ok() bool { return !o.killed && o.code == 0 }

// runner starts the soak's processes.
type runner struct {
	bin        string
	configHome string
}

// start runs spec and, when killAfter >= 0, kills it with SIGKILL that long
// after it started; a process that finished first is reported as finished.
func (r runner) start(spec procSpec, killAfter time.Duration) (outcome, error) {
	cmd := exec.Command(r.bin, spec.args...)
	cmd.Env = append(soakEnv(r.configHome, spec.background), spec.env...)
	cmd.Stdin = strings.NewReader(spec.stdin)
	// A child outlives a test binary that dies (a -timeout panic) no
	// longer than the kernel takes to deliver this.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return outcome{}, err
	}
	started := time.Now()
	if killAfter >= 0 {
		timer := time.AfterFunc(killAfter, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err := cmd.Wait()
	o := outcome{out: stdout.String(), err: stderr.String(), took: time.Since(started)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		if st, ok := ee.Sys().(syscall.WaitStatus); ok && st.Signaled() && st.Signal() == syscall.SIGKILL {
			o.killed = true
		} else {
			o.code = ee.ExitCode()
		}
	default:
		return o, err
	}
	return o, nil
}

// run runs spec to its end.
func (r runner) run(args ...string) outcome {
	o, err := r.start(procSpec{args: args}, -1)
	if err != nil {
		return outcome{code: -1, err: err.Error()}
	}
	return o
}

// strays lists the running processes of bin: background maintenance that
// a writer started detached from itself.
func strays(bin string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || strings.TrimSuffix(exe, " (deleted)") != bin {
			continue // not ours, or already exited (a zombie has no exe)
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil && zombie(stat) {
			continue
		}
		pids = append(pids, pid)
	}
	return pids
}

// zombie tells from /proc/PID/stat that the process has exited.
func zombie(stat []byte) bool {
	i := bytes.LastIndexByte(stat, ')')
	return i >= 0 && i+2 < len(stat) && (stat[i+2] == 'Z' || stat[i+2] == 'X')
}

// waitStrays waits up to limit for bin's detached processes to end and
// kills those still running then; it returns how many it had to kill.
func waitStrays(bin string, limit time.Duration) int {
	deadline := time.Now().Add(limit)
	for {
		pids := strays(bin)
		if len(pids) == 0 {
			return 0
		}
		if time.Now().After(deadline) {
			for _, pid := range pids {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			return len(pids)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// kill sends SIGKILL to pid and tells whether it was still running.
func kill(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil || zombie(stat) {
		return false
	}
	return syscall.Kill(pid, syscall.SIGKILL) == nil
}

// footprint is what a store directory holds after the soak's kills.
type footprint struct {
	files, vlogs, holders int
	apparent, disk        int64
}

func (f footprint) String() string {
	return fmt.Sprintf("store %d files (%d value logs, %d lock-info files), %.1f MiB apparent, %.1f MiB on disk",
		f.files, f.vlogs, f.holders, float64(f.apparent)/(1<<20), float64(f.disk)/(1<<20))
}

func footprintOf(ws string) footprint {
	var f footprint
	store := filepath.Join(ws, "store")
	_ = filepath.WalkDir(store, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		if filepath.Dir(path) != store {
			f.holders++
			return nil
		}
		f.files++
		if strings.HasSuffix(path, ".vlog") {
			f.vlogs++
		}
		f.apparent += fi.Size()
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			f.disk += st.Blocks * 512
		}
		return nil
	})
	return f
}
