#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-2.0
# Count test cases in the KTAP stream of a VM console log written by
# scripts/guest-init.sh, or of a host script's output (scripts/hostcase.sh).
#
# A test binary's block runs from runner.sh's "# selftests: xuring: NAME" to
# its "ok|not ok K selftests: xuring: NAME" line; inside it, the binary's own
# lines stand behind "# " and its TAP lines from the kselftest harness are the
# cases ("ok N x", "ok N x # SKIP", "not ok N x"). A binary that prints no TAP
# is one case judged by its exit code (0 pass, 4 skip). Any other "ok|not ok"
# line is one case of its own (rmmod, kmemleak, dmesg; a host case); "# SKIP"
# makes it skipped. Cases missing from a TAP plan, a non-zero exit with no
# failing case and a block that never ends count as failed; so do a console
# without "# XURING-RESULT" or, with -v host=1, a stream without its plan.
# The XURING-BEGIN/END blocks of scripts/guest-run.sh (unnested output) are
# read the same way.
#
# usage: awk [-v lane=L] [-v vm_rc=N] [-v host=1] -f parse-console.awk LOG
# prints a report; the last line is "RESULT pass=N fail=N skip=N"

function fail(n, why) {
	nfail += n
	reasons[++nreasons] = why
}

# Show a failing test's own words first, most telling first, as readers
# (and trackers that fold long output) see the top: what the harness says
# at a source line (assertions, TH_LOG) and the "not ok" lines; then its
# other TAP and "#" lines (the head and the tail when there are many); then
# the start of anything else it or the kernel printed, which can be a flood.
function excerpt(text,    n, i, lines, key, nkey, tap, ntap, other, nother) {
	n = split(text, lines, "\n")
	for (i = 1; i <= n; i++) {
		if (lines[i] == "")
			continue
		if (lines[i] ~ /^(# .*\.c:[0-9]+:|not ok )/)
			key[++nkey] = lines[i]
		else if (lines[i] ~ /^(#|ok |TAP |1\.\.)/)
			tap[++ntap] = lines[i]
		else
			other[++nother] = lines[i]
	}
	for (i = 1; i <= nkey && i <= 20; i++)
		print "       | " key[i]
	if (nkey > 20)
		print "       | ... (" nkey - 20 " more such lines)"
	for (i = 1; i <= ntap; i++) {
		if (ntap > 40 && i == 11) {
			print "       | ... (" ntap - 40 " lines)"
			i = ntap - 30
		}
		print "       | " tap[i]
	}
	for (i = 1; i <= nother && i <= 10; i++)
		print "       > " other[i]
	if (nother > 10)
		print "       > ... (" nother - 10 " more lines in the console log)"
}

function end_block(rc, ended, secs,    why, cases, p0, f0, s0) {
	p0 = pass; f0 = nfail; s0 = skip
	cases = bpass + bfail + bskip
	pass += bpass; skip += bskip; nfail += bfail
	if (!ended) {
		fail(plan > cases ? plan - cases : 1, "test " name " never finished (crash or VM timeout)")
	} else if (cases == 0) {
		if (rc == 0) pass++
		else if (rc == 4) skip++
		else fail(1, "test " name (rc == 124 ? " timed out" : " exited with " rc))
	} else {
		why = rc == 124 ? "timed out" : rc != 0 && rc != 4 ? "exited with " rc : ""
		# cases the plan promised but never reported are failed; if none are
		# missing, a timeout or a failing exit without a failing case is one
		if (plan > cases)
			fail(plan - cases, "test " name ": " (plan - cases) " of " plan \
			     " planned cases never reported" (why != "" ? " (" why ")" : ""))
		else if (why != "" && (rc == 124 || bfail == 0))
			fail(1, "test " name " " why (bfail ? "" : " without a failing case"))
	}
	printf "  %-4s %-28s %3d passed, %d failed, %d skipped%s\n", (nfail > f0 ? "FAIL" : "ok"),
		name, pass - p0, nfail - f0, skip - s0, (ended ? (secs != "" ? " (" secs "s)" : "") : " (unfinished)")
	if (nfail > f0)
		excerpt(btext)
	inblock = 0
}

function begin_block(n, is_nested) {
	if (inblock)
		end_block(0, 0)
	inblock = 1; nested = is_nested; name = n
	bpass = bfail = bskip = plan = 0; btext = ""; brc = ""; bsecs = ""
}

# a line of the binary's own output
function block_line(line) {
	btext = btext line "\n"
	if (line ~ /^ok [0-9]+/) {
		if (toupper(line) ~ /# *SKIP/) bskip++
		else bpass++
	} else if (line ~ /^not ok [0-9]+/) {
		bfail++
		t = line; sub(/^not ok [0-9]+ */, "", t)
		reasons[++nreasons] = "test " name ": not ok " t
	} else if (line ~ /^1\.\.[0-9]+/) {
		plan = substr(line, 4) + 0
	}
}

{ sub(/\r+$/, "") }

/^(# )?XURING-END / {
	sub(/^# /, "")
	brc = $3; sub(/^rc=/, "", brc)
	bsecs = $4; sub(/^secs=/, "", bsecs)
	if (inblock && !nested)
		end_block(brc + 0, 1, bsecs)
	next
}

/^XURING-BEGIN / { begin_block($2, 0); next }

!inblock && /^# selftests: xuring: / { begin_block($4, 1); next }

# the binary's result line closes its block
inblock && nested && /^(not )?ok [0-9]+ selftests: xuring: / {
	ntop++
	if (brc == "") {	# no XURING-END: what the directive says
		if ($1 == "ok")
			brc = toupper($0) ~ /# *SKIP/ ? 4 : 0
		else if ($0 ~ /# *TIMEOUT/)
			brc = 124
		else if (match($0, /# *exit=[0-9]+/)) {
			brc = substr($0, RSTART, RLENGTH)
			sub(/.*=/, "", brc)
		} else
			brc = 1
	}
	end_block(brc + 0, 1, bsecs)
	next
}

inblock && nested && /^#( |$)/ { block_line(substr($0, 3)); next }

inblock && !nested && !/^(# )?XURING-(DMESG|RESULT|DONE)/ { block_line($0); next }

inblock { btext = btext $0 "\n" }	# the kernel's lines among a binary's

/^(# )?XURING-DMESG: / {
	sub(/^(# )?XURING-DMESG: /, "")
	print "       ! " $0
	next
}

/^(# )?XURING-RESULT / { result = 1; next }
/^(# )?XURING-DONE/ { done = 1; next }
/Kernel panic - not syncing/ { panic = $0 }

!inblock && /^1\.\.[0-9]+/ { tplan = substr($0, 4) + 0; have_plan = 1; next }

# a case of the guest script or a host script
!inblock && /^(not )?ok [0-9]+ / {
	ntop++
	t = $0; sub(/^(not )?ok [0-9]+ */, "", t)
	why = ""
	if (match(t, / +# .*$/)) {
		why = substr(t, RSTART); sub(/^ +# */, "", why)
		t = substr(t, 1, RSTART - 1)
	}
	if ($1 == "not") {
		fail(1, "case " t " failed" (why != "" ? ": " why : ""))
		printf "  %-4s %s%s\n", "FAIL", t, (why != "" ? " (" why ")" : "")
	} else if (toupper(why) ~ /^SKIP/) {
		skip++
		sub(/^[Ss][Kk][Ii][Pp] */, "", why)
		printf "  %-4s %s%s\n", "skip", t, (why != "" ? ": " why : "")
	} else {
		pass++
		printf "  %-4s %s\n", "ok", t
	}
	next
}

END {
	if (inblock)
		end_block(0, 0)
	if (host) {
		if (!have_plan)
			fail(1, "no plan line: the script did not finish")
	} else if (!result)
		fail(1, "no XURING-RESULT marker: the guest did not finish" \
		     (panic != "" ? " (" panic ")" : vm_rc == 124 ? " (VM timeout)" : \
		      vm_rc != "" && vm_rc != 0 ? " (qemu exit " vm_rc ")" : ""))
	else if (panic != "")
		fail(1, panic)
	if ((host || result) && have_plan && tplan > ntop)
		fail(tplan - ntop, (tplan - ntop) " of " tplan " planned cases never reported")
	if (nreasons) {
		print "  failures:"
		for (i = 1; i <= nreasons; i++)
			print "    - " reasons[i]
	}
	printf "RESULT pass=%d fail=%d skip=%d\n", pass, nfail, skip
}
