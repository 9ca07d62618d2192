//go:build !unix

package export

import "time"

// processRusage is not available here.
func processRusage() (time.Duration, bool) { return 0, false }
