//go:build linux

package storage

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockHolders asks the kernel which processes hold the flock on the store
// directory (/proc/locks): the lock-info files say what a process is, but a
// process writes its file only once Badger has opened the store, and an
// open takes milliseconds, so the files alone missed a third of the holders
// under contention. ok is false when the kernel could not be asked.
func lockHolders(dir string) (holders []Holder, ok bool) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, false
	}
	st, isStat := fi.Sys().(*syscall.Stat_t)
	if !isStat {
		return nil, false
	}
	data, err := os.ReadFile("/proc/locks")
	if err != nil {
		return nil, false
	}
	major, minor := (st.Dev>>8)&0xfff|(st.Dev>>32)&^0xfff, st.Dev&0xff|(st.Dev>>12)&^0xff
	want := fmt.Sprintf("%02x:%02x:%d", major, minor, st.Ino)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		// "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; waiters'
		// lines carry "->" and are not holders.
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[1] != "FLOCK" || f[5] != want {
			continue
		}
		pid, err := strconv.Atoi(f[4])
		if err != nil || pid <= 0 {
			continue
		}
		holders = append(holders, Holder{PID: pid, ReadOnly: f[3] == "READ"})
	}
	return holders, true
}

// describeProcess fills in what the system knows of a process: its command
// line and start time.
func describeProcess(h Holder) Holder {
	if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", h.PID)); err == nil {
		args := strings.Fields(strings.ReplaceAll(string(cmdline), "\x00", " "))
		if len(args) > 0 {
			h.Command = strings.Join(args[:min(len(args), 4)], " ")
		}
	}
	h.Since = processStart(h.PID)
	return h
}

// processStart reads a process's start time: field 22 of /proc/PID/stat, in
// clock ticks after boot (100 a second in every Linux user ABI).
func processStart(pid int) time.Time {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return time.Time{}
	}
	// The command name in field 2 may hold spaces: count after its ')'.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return time.Time{}
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 20 {
		return time.Time{}
	}
	ticks, err := strconv.ParseInt(f[19], 10, 64)
	if err != nil {
		return time.Time{}
	}
	boot := bootTime()
	if boot.IsZero() {
		return time.Time{}
	}
	return boot.Add(time.Duration(ticks) * time.Second / 100)
}

func bootTime() time.Time {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "btime "); ok {
			if s, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64); err == nil {
				return time.Unix(s, 0)
			}
		}
	}
	return time.Time{}
}
