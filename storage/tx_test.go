package storage

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func newStore(t testing.TB) *Store {
	t.Helper()
	return openT(t, Options{Dir: t.TempDir() + "/store", Command: "test"})
}

func update(t testing.TB, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func view(t testing.TB, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.View(fn); err != nil {
		t.Fatal(err)
	}
}

func TestPrompts(t *testing.T) {
	s := newStore(t)
	names := []string{"support/refund", "a", "a-b", "support/greet", "b/c", "support"}
	update(t, s, func(tx *Tx) error {
		for _, n := range names {
			if err := tx.PutPrompt(n, []byte("val "+n)); err != nil {
				return err
			}
		}
		return nil
	})

	t.Run("get", func(t *testing.T) {
		view(t, s, func(tx *Tx) error {
			got, err := tx.GetPrompt("a-b")
			if err != nil || string(got) != "val a-b" {
				t.Errorf("GetPrompt(a-b) = %q, %v", got, err)
			}
			if _, err := tx.GetPrompt("missing"); !errors.Is(err, ErrNotFound) {
				t.Errorf("GetPrompt(missing) error = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
	t.Run("scan all in name order", func(t *testing.T) {
		got := scanPromptNames(t, s, "")
		want := slices.Sorted(slices.Values(names))
		if !slices.Equal(got, want) {
			t.Errorf("ScanPrompts(\"\") = %q, want %q", got, want)
		}
	})
	t.Run("scan prefix", func(t *testing.T) {
		got := scanPromptNames(t, s, "support/")
		want := []string{"support/greet", "support/refund"}
		if !slices.Equal(got, want) {
			t.Errorf("ScanPrompts(support/) = %q, want %q", got, want)
		}
	})
	t.Run("delete", func(t *testing.T) {
		update(t, s, func(tx *Tx) error { return tx.DeletePrompt("a") })
		view(t, s, func(tx *Tx) error {
			if _, err := tx.GetPrompt("a"); !errors.Is(err, ErrNotFound) {
				t.Errorf("deleted prompt: %v", err)
			}
			return nil
		})
	})
	t.Run("scan stops on error", func(t *testing.T) {
		stop := errors.New("enough")
		n := 0
		err := s.View(func(tx *Tx) error {
			return tx.ScanPrompts("", func(string, []byte) error { n++; return stop })
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("got %v after %d calls, want the callback's error after 1", err, n)
		}
	})
}

func scanPromptNames(t *testing.T, s *Store, prefix string) []string {
	t.Helper()
	var got []string
	view(t, s, func(tx *Tx) error {
		return tx.ScanPrompts(prefix, func(name string, val []byte) error {
			if string(val) != "val "+name {
				t.Errorf("value of %s = %q", name, val)
			}
			got = append(got, name)
			return nil
		})
	})
	return got
}

func TestVersions(t *testing.T) {
	s := newStore(t)
	update(t, s, func(tx *Tx) error {
		// Out of order, past 255 and 65535 to catch a little-endian or
		// decimal encoding, and a neighbour whose name extends this one.
		for _, n := range []int{300, 2, 1, 70000, 10} {
			if err := tx.PutVersion("p", n, fmt.Appendf(nil, "p@%d", n)); err != nil {
				return err
			}
		}
		return tx.PutVersion("p-2", 1, []byte("other"))
	})
	var got []int
	view(t, s, func(tx *Tx) error {
		return tx.ScanVersions("p", func(n int, val []byte) error {
			if string(val) != fmt.Sprintf("p@%d", n) {
				t.Errorf("version %d = %q", n, val)
			}
			got = append(got, n)
			return nil
		})
	})
	if want := []int{1, 2, 10, 300, 70000}; !slices.Equal(got, want) {
		t.Errorf("ScanVersions = %v, want %v", got, want)
	}
	update(t, s, func(tx *Tx) error { return tx.DeleteVersions("p") })
	view(t, s, func(tx *Tx) error {
		if _, err := tx.GetVersion("p", 2); !errors.Is(err, ErrNotFound) {
			t.Errorf("after DeleteVersions: %v", err)
		}
		if v, err := tx.GetVersion("p-2", 1); err != nil || string(v) != "other" {
			t.Errorf("neighbour p-2@1 = %q, %v", v, err)
		}
		return nil
	})
}

func TestTags(t *testing.T) {
	s := newStore(t)
	update(t, s, func(tx *Tx) error {
		for _, p := range [][2]string{
			{"purpose:support", "refund"}, {"purpose:support", "greet"},
			{"purpose:support-x", "other"}, {"purpose:sup", "short"}, {"tone:formal", "refund"},
		} {
			if err := tx.PutTag(p[0], p[1]); err != nil {
				return err
			}
		}
		return nil
	})
	scan := func(tag string) []string {
		var got []string
		view(t, s, func(tx *Tx) error {
			return tx.ScanTag(tag, func(name string) error { got = append(got, name); return nil })
		})
		return got
	}
	if got, want := scan("purpose:support"), []string{"greet", "refund"}; !slices.Equal(got, want) {
		t.Errorf("ScanTag = %q, want %q", got, want)
	}
	update(t, s, func(tx *Tx) error { return tx.DeleteTag("purpose:support", "greet") })
	if got, want := scan("purpose:support"), []string{"refund"}; !slices.Equal(got, want) {
		t.Errorf("after DeleteTag: %q, want %q", got, want)
	}
}

func TestAudit(t *testing.T) {
	s := newStore(t)
	// Several appends per transaction and several transactions: order must
	// be append order even within one clock tick.
	n := 0
	for range 5 {
		update(t, s, func(tx *Tx) error {
			for range 3 {
				if err := tx.AppendAudit(fmt.Appendf(nil, "event %02d", n)); err != nil {
					return err
				}
				n++
			}
			return nil
		})
	}
	var all []string
	view(t, s, func(tx *Tx) error {
		return tx.ScanAudit(func(v []byte) error { all = append(all, string(v)); return nil })
	})
	if len(all) != n || !slices.IsSorted(all) {
		t.Fatalf("ScanAudit = %q, want %d events in order", all, n)
	}
	var latest []string
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditReverse(4, func(v []byte) error { latest = append(latest, string(v)); return nil })
	})
	if want := []string{"event 14", "event 13", "event 12", "event 11"}; !slices.Equal(latest, want) {
		t.Errorf("ScanAuditReverse(4) = %q, want %q", latest, want)
	}
}

func TestLogsRunsCache(t *testing.T) {
	s := newStore(t)
	update(t, s, func(tx *Tx) error {
		for _, l := range []struct {
			name string
			n    int
			id   string
		}{{"p", 2, "01b"}, {"p", 1, "01c"}, {"p", 2, "01a"}, {"p", 256, "01a"}, {"p-q", 1, "x"}} {
			if err := tx.PutLog(l.name, l.n, l.id, []byte(l.id)); err != nil {
				return err
			}
		}
		if err := tx.PutRun("run-2", []byte("r2")); err != nil {
			return err
		}
		if err := tx.PutRun("run-1", []byte("r1")); err != nil {
			return err
		}
		return tx.PutCache("sha256:abc", []byte("cached"))
	})
	logs := func(n int) []string {
		var got []string
		view(t, s, func(tx *Tx) error {
			return tx.ScanLogs("p", n, func(num int, id string, val []byte) error {
				if string(val) != id {
					t.Errorf("log %d/%s = %q", num, id, val)
				}
				got = append(got, fmt.Sprintf("%d/%s", num, id))
				return nil
			})
		})
		return got
	}
	if got, want := logs(0), []string{"1/01c", "2/01a", "2/01b", "256/01a"}; !slices.Equal(got, want) {
		t.Errorf("ScanLogs(p, 0) = %q, want %q", got, want)
	}
	if got, want := logs(2), []string{"2/01a", "2/01b"}; !slices.Equal(got, want) {
		t.Errorf("ScanLogs(p, 2) = %q, want %q", got, want)
	}
	var runs []string
	view(t, s, func(tx *Tx) error {
		if v, err := tx.GetLog("p", 256, "01a"); err != nil || string(v) != "01a" {
			t.Errorf("GetLog = %q, %v", v, err)
		}
		if v, err := tx.GetRun("run-1"); err != nil || string(v) != "r1" {
			t.Errorf("GetRun = %q, %v", v, err)
		}
		if v, err := tx.GetCache("sha256:abc"); err != nil || string(v) != "cached" {
			t.Errorf("GetCache = %q, %v", v, err)
		}
		if _, err := tx.GetCache("sha256:none"); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetCache(missing) = %v", err)
		}
		return tx.ScanRuns(func(id string, _ []byte) error { runs = append(runs, id); return nil })
	})
	if want := []string{"run-1", "run-2"}; !slices.Equal(runs, want) {
		t.Errorf("ScanRuns = %q, want %q", runs, want)
	}
	update(t, s, func(tx *Tx) error { return tx.DeleteLogs("p") })
	if got := logs(0); len(got) != 0 {
		t.Errorf("after DeleteLogs: %q", got)
	}
}

func TestWritesRefused(t *testing.T) {
	s := newStore(t)
	t.Run("in View", func(t *testing.T) {
		err := s.View(func(tx *Tx) error { return tx.PutPrompt("p", nil) })
		if !errors.Is(err, ErrReadOnlyTx) {
			t.Errorf("PutPrompt in View = %v, want ErrReadOnlyTx", err)
		}
	})
	t.Run("bad keys", func(t *testing.T) {
		for name, fn := range map[string]func(*Tx) error{
			"empty name":   func(tx *Tx) error { return tx.PutPrompt("", nil) },
			"NUL in name":  func(tx *Tx) error { return tx.PutVersion("a\x00b", 1, nil) },
			"version 0":    func(tx *Tx) error { return tx.PutVersion("a", 0, nil) },
			"log number 0": func(tx *Tx) error { return tx.PutLog("a", 0, "id", nil) },
			"empty tag":    func(tx *Tx) error { return tx.PutTag("", "a") },
		} {
			if err := s.Update(fn); err == nil || !strings.Contains(err.Error(), "invalid") {
				t.Errorf("%s: got %v, want an invalid-key error", name, err)
			}
		}
	})
}
