package workspace

import (
	"fmt"
	"testing"
	"time"
)

// recordTime must read every time exactly as time.Time.UnmarshalText
// does, and refuse what it refuses.
func checkRecordTime(t *testing.T, s string) (fast bool) {
	t.Helper()
	var want time.Time
	werr := want.UnmarshalText([]byte(s))
	got, ok := recordTime([]byte(s))
	_, fast = utcTime([]byte(s))
	same := got.Equal(want) && got.Location().String() == want.Location().String()
	if fast {
		same = got == want // the very same value, zone included
	}
	if ok != (werr == nil) || !same {
		t.Fatalf("%q: recordTime %v %v, UnmarshalText %v %v", s, got, ok, want, werr)
	}
	return fast
}

func TestRecordTime(t *testing.T) {
	for _, s := range []string{
		"2026-11-30T10:41:34.155256801Z", "2026-11-30T10:41:34Z", "2026-11-30T10:41:34.1Z",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-01-28T00:00:00.000000000Z",
		"2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2026-04-30T00:00:00Z", "2026-12-31T23:59:59Z",
	} {
		if !checkRecordTime(t, s) {
			t.Errorf("%q did not take the fast path", s)
		}
	}
	for _, s := range []string{
		"2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-06-31T00:00:00Z",
		"2026-09-31T00:00:00Z", "2026-11-31T00:00:00Z", "2026-01-32T00:00:00Z",
		"2026-11-30T10:41:34.1234567891Z", "2026-11-30T10:41:34.Z", "2026-11-30T10:41:34+01:00",
		"2026-11-30T10:41:34.5-00:30", "2026-11-30t10:41:34Z", "2026-11-30T24:00:00Z", "2026-11-30T10:60:00Z",
		"2026-11-30T10:41:60Z", "2026-00-10T10:41:34Z", "2026-13-10T10:41:34Z", "2026-11-00T10:41:34Z",
		"2026-11-30T10:41:34,5Z", "2026-11-30T1:41:34Z", "+026-11-30T10:41:34Z", "2026-11-30T10:41:34", "", "Z",
		"2026-11-30T10:41:3aZ", "2026-11-30T10:41:34.1a3Z", "2026-11-30 10:41:34Z",
	} {
		checkRecordTime(t, s)
	}
	// Every day of months of leap and common years, and the days after.
	for _, y := range []int{1900, 1999, 2000, 2023, 2024, 2100, 2400} {
		for m := 1; m <= 12; m++ {
			for d := 1; d <= 32; d++ {
				checkRecordTime(t, fmt.Sprintf("%04d-%02d-%02dT12:00:00.5Z", y, m, d))
			}
		}
	}
}

func FuzzRecordTime(f *testing.F) {
	f.Add("2026-11-30T10:41:34.155256801Z")
	f.Add("2024-02-29T23:59:59+05:30")
	f.Fuzz(func(t *testing.T, s string) {
		checkRecordTime(t, s)
	})
}
