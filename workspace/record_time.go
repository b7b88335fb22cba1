package workspace

import "time"

// recordTime reads a time as the records hold it, the way
// time.Time.UnmarshalText does: records are written by encoding/json, so
// their times are RFC 3339 in UTC with up to nine digits of fraction, and
// that one layout is read here directly at a quarter of the cost, with
// the same checks. Anything else — another zone, another layout — goes to
// UnmarshalText, so the result never differs (a fuzz test holds it to
// that).
func recordTime(b []byte) (time.Time, bool) {
	if t, ok := utcTime(b); ok {
		return t, true
	}
	var t time.Time
	if err := t.UnmarshalText(b); err != nil {
		return time.Time{}, false
	}
	return t, true
}

// utcTime reads 2006-01-02T15:04:05[.999999999]Z; ok is false for
// anything else.
func utcTime(b []byte) (t time.Time, ok bool) {
	f, ok := utcFields(b)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(f.year, time.Month(f.month), f.day, f.hour, f.minute, f.sec, f.nsec, time.UTC), true
}

// exportTimeText tells whether b is a time as utcTime reads it and as
// export files write it (exportyaml.AppendTime): without trailing zeros
// in its fraction. Such text is written as it is.
func exportTimeText(b []byte) bool {
	_, ok := utcFields(b)
	return ok && canonicalFraction(b)
}

// canonicalFraction tells whether b, a time utcFields reads, has no
// trailing zeros in its fraction.
func canonicalFraction(b []byte) bool {
	frac := b[len("2006-01-02T15:04:05") : len(b)-1]
	return len(frac) == 0 || frac[len(frac)-1] != '0'
}

// timeFields are the parts of a time as utcFields reads them.
type timeFields struct{ year, month, day, hour, minute, sec, nsec int }

// utcFields reads the parts of 2006-01-02T15:04:05[.999999999]Z, with
// time.Parse's range checks; ok is false for anything else.
func utcFields(b []byte) (f timeFields, ok bool) {
	const layout = "2006-01-02T15:04:05"
	if len(b) < len(layout)+1 || b[len(b)-1] != 'Z' ||
		b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return f, false
	}
	ok = true
	num := func(s []byte) int {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				ok = false
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	f.year, f.month, f.day = num(b[0:4]), num(b[5:7]), num(b[8:10])
	f.hour, f.minute, f.sec = num(b[11:13]), num(b[14:16]), num(b[17:19])
	if !ok || f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysIn(f.month, f.year) || f.hour > 23 || f.minute > 59 || f.sec > 59 {
		return f, false
	}
	frac := b[len(layout) : len(b)-1]
	if len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return f, false
		}
		f.nsec = num(frac[1:])
		if !ok {
			return f, false
		}
		for range 10 - len(frac) {
			f.nsec *= 10
		}
	}
	return f, true
}

// daysIn is the length of month (1–12) in year of the Gregorian calendar.
func daysIn(month, year int) int {
	if month == 2 {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + (month+month/8)%2 // 31 in January, March, May, July, August, October, December
}
