package exportyaml

import "time"

// Time writes " t\n" after a key or dash, t as export files write times
// (UTC RFC 3339, nanoseconds only when there are some): what Scalar
// writes of that text, which is always quoted (it starts with a digit or
// a sign, and holds nothing to escape), without building the string.
func (w *Writer) Time(t time.Time) {
	w.set(append(AppendTime(append(w.b, ' ', '"'), t), '"', '\n'))
}

// TimeText writes " "text"\n" after a key or dash: what Time writes for
// a time whose text, as AppendTime writes it, the caller has at hand.
func (w *Writer) TimeText(text []byte) {
	w.set(append(append(append(w.b, ' ', '"'), text...), '"', '\n'))
}

// AppendTime appends t as t.UTC().Format(time.RFC3339Nano) does, digit by
// digit for the years 0–9999: an export writes a time per version, label
// move and audit event (200,000 for the benchmark library), and the
// general formatter, which reads its layout each time, took a few percent
// of its CPU time.
func AppendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, time.RFC3339Nano)
	}
	hour, minute, sec := t.Clock()
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10))
	if ns := t.Nanosecond(); ns != 0 {
		var frac [9]byte
		for i := 8; i >= 0; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 9
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, '.')
		b = append(b, frac[:n]...)
	}
	return append(b, 'Z')
}
