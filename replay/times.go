package replay

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file parses the timestamps of metrics files.

// ---- timestamps ----

// timeRule is the rule a timestamp breaks.
const timeRule = `want RFC 3339 (2006-01-02T15:04:05Z; fractional seconds optional; Z, ±hh:mm or no zone, meaning UTC), "2006-01-02 15:04:05" (UTC) or epoch seconds`

// maxEpoch is 9999-12-31T23:59:59Z, the last second RFC 3339 can write.
const maxEpoch = 253402300799

var timeLayouts = []string{
	time.RFC3339,                // 2006-01-02T15:04:05Z07:00; the fraction is optional when parsing
	"2006-01-02T15:04:05Z0700",  // ISO 8601 offset without a colon
	"2006-01-02T15:04:05",       // no zone: UTC, as the AWS CLI reads it
	"2006-01-02 15:04:05",       // NAB's format, UTC
	"2006-01-02 15:04:05Z07:00", // a space for the T
}

// parseTime parses a timestamp written as text: RFC 3339 and the variants
// of timeLayouts, or epoch seconds. The result is in UTC. The error
// completes the phrase `timestamp "x" ...`.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("is empty; " + timeRule)
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, "-:") {
		return parseEpoch(s)
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("is not a time; " + timeRule)
}

// parseEpoch parses epoch seconds: digits with an optional fraction, exactly
// to the nanosecond, or any other JSON number, through float64. The error
// completes the phrase `timestamp "x" ...`.
func parseEpoch(s string) (time.Time, error) {
	ip, fp, _ := strings.Cut(s, ".")
	if allDigits(ip) && (fp == "" && !strings.HasSuffix(s, ".") || allDigits(fp)) {
		sec, err := strconv.ParseInt(ip, 10, 64)
		if err != nil || sec > maxEpoch {
			return time.Time{}, fmt.Errorf("is out of range: epoch seconds go from 0 to %d (9999-12-31T23:59:59Z)", maxEpoch)
		}
		fp = (fp + "000000000")[:9]
		ns, _ := strconv.ParseInt(fp, 10, 64) // nine digits: cannot fail
		return time.Unix(sec, ns).UTC(), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return time.Time{}, errors.New("is not a time; " + timeRule)
	}
	if !(f >= 0 && f <= maxEpoch) {
		return time.Time{}, fmt.Errorf("is out of range: epoch seconds go from 0 to %d (9999-12-31T23:59:59Z)", maxEpoch)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
