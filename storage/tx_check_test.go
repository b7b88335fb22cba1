package storage

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestWholeStoreScans plants keys that break the layout among good ones:
// the whole-store scans skip them without misreading them (or panicking),
// ScanStrayKeys names each, and only the tag index's can be deleted.
func TestWholeStoreScans(t *testing.T) {
	s := newStore(t)
	stray := map[string]string{
		"z-unknown":              "unknown kind of key",
		"vshort\x00\x00\x01":     "not a prompt name, NUL and a version number",
		"tno-separator":          "not a tag, NUL and a prompt name",
		"lp\x00\x00\x00\x00\x01": "not a prompt name, NUL, a version number and an id",
		"a123":                   "audit key of the wrong length",
		"mother":                 "unknown metadata key",
	}
	update(t, s, func(tx *Tx) error {
		for _, op := range []error{
			tx.PutVersion("a", 1, []byte("a1")),
			tx.PutVersion("a", 2, []byte("a2")),
			tx.PutVersion("a-b", 1, []byte("ab1")),
			tx.PutTag("purpose:x", "a"),
			tx.PutTag("tone:y", "a-b"),
			tx.PutLog("a", 2, "id1", []byte("log")),
			tx.PutCache("k1", []byte("{}")),
		} {
			if op != nil {
				return op
			}
		}
		for k := range stray {
			if err := tx.putRaw([]byte(k), []byte("x")); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		var versions, tags, logs, cache []string
		must(t, tx.ScanAllVersions(func(name string, n int, val []byte) error {
			versions = append(versions, name+"@"+string(rune('0'+n))+"="+string(val))
			return nil
		}))
		must(t, tx.ScanTagIndex(func(tag, name string) error { tags = append(tags, tag+">"+name); return nil }))
		must(t, tx.ScanAllLogs(func(name string, n int, id string, val []byte) error {
			logs = append(logs, name+"@"+string(rune('0'+n))+"/"+id+"="+string(val))
			return nil
		}))
		must(t, tx.ScanCache(func(k string, val []byte) error { cache = append(cache, k+"="+string(val)); return nil }))
		want := map[string][]string{
			"versions": {"a@1=a1", "a@2=a2", "a-b@1=ab1"},
			"tags":     {"purpose:x>a", "tone:y>a-b"},
			"logs":     {"a@2/id1=log"},
			"cache":    {"k1={}"},
		}
		for name, got := range map[string][]string{"versions": versions, "tags": tags, "logs": logs, "cache": cache} {
			if !slices.Equal(got, want[name]) {
				t.Errorf("%s = %q, want %q", name, got, want[name])
			}
		}
		// The per-prompt scans skip them as well.
		must(t, tx.ScanVersions("short", func(int, []byte) error { t.Error("ScanVersions read a stray key"); return nil }))
		must(t, tx.ScanLogs("p", 0, func(int, string, []byte) error { t.Error("ScanLogs read a stray key"); return nil }))
		must(t, tx.ScanLogKeys("p", 0, func(int, string) error { t.Error("ScanLogKeys read a stray key"); return nil }))
		return nil
	})
	var found []StrayKey
	view(t, s, func(tx *Tx) error {
		return tx.ScanStrayKeys(func(k StrayKey) error { found = append(found, k); return nil })
	})
	if len(found) != len(stray) {
		t.Fatalf("ScanStrayKeys found %d keys, want %d: %+v", len(found), len(stray), found)
	}
	for _, k := range found {
		var raw string
		for r := range stray {
			if k.Key == strconv.Quote(r) {
				raw = r
			}
		}
		if raw == "" || k.Reason != stray[raw] {
			t.Errorf("stray key %s: reason %q, want %q", k.Key, k.Reason, stray[raw])
		}
		if k.Index != strings.HasPrefix(raw, "t") {
			t.Errorf("stray key %s: Index = %v", k.Key, k.Index)
		}
	}
	update(t, s, func(tx *Tx) error {
		for _, k := range found {
			err := tx.DeleteStrayKey(k)
			if k.Index && err != nil {
				return err
			}
			if !k.Index && err == nil {
				t.Errorf("DeleteStrayKey(%s) deleted a key that may hold data", k.Key)
			}
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		n := 0
		must(t, tx.ScanStrayKeys(func(StrayKey) error { n++; return nil }))
		if n != len(stray)-1 {
			t.Errorf("after deleting the stray index key, %d stray keys left, want %d", n, len(stray)-1)
		}
		return nil
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
