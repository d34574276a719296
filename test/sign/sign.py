#!/usr/bin/env python3
"""Signed headers offline (no kernel): `lskel gen --sign` and bpftool's `-S -k -i`
spelling, reproducible output, `lskel verify` accepting the good header and rejecting
another signer, a changed blob byte, a changed loader byte, a changed excl_prog_hash,
a truncated and an oversized signature; bad keys and certificates refused before any
output is written. Keys are made with the openssl command in a temporary directory.
Usage: sign.py LSKEL OBJ PERF_OBJ (PERF_OBJ: an object with a perf event array
declared without max_entries, which a signed skeleton cannot size)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

lskel, obj, perf_obj = sys.argv[1:4]
failures = 0


def check(what, cond, detail=""):
    global failures
    print("%s: %s%s" % ("ok" if cond else "FAIL", what, (" (" + detail + ")") if detail and not cond else ""))
    failures += not cond


def run(*args):
    return subprocess.run([lskel, *args], capture_output=True, text=True)


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_key(tmp, name, kind="rsa:2048"):
    key, cert = os.path.join(tmp, name + "-key.pem"), os.path.join(tmp, name + "-cert.pem")
    openssl("req", "-new", "-x509", "-newkey", kind, "-nodes", "-days", "36500", "-keyout", key,
            "-out", cert, "-subj", "/CN=" + name)
    return key, cert


# The arrays lskel writes into NAME__load(): `static const char NAME[] = "..." "...";`
# (a ';' may sit inside the literals: the end is the first one after the last literal)
LITERALS = re.compile(r'(?:\s*"(?:[^"\\]|\\.)*")*\s*;', re.S)


def array_span(text, name):
    start = text.index("static const char %s[] =" % name)
    m = LITERALS.match(text, text.index("=", start) + 1)
    return start, m.end() - 1


def decode(literals):
    out = bytearray()
    for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', literals, re.S):
        i = 0
        while i < len(lit):
            if lit[i] != "\\":
                out.append(ord(lit[i]))
                i += 1
                continue
            m = re.match(r"[0-7]{1,3}", lit[i + 1:])
            if m:
                out.append(int(m.group(0), 8))
                i += 1 + len(m.group(0))
            else:
                out.append(ord(lit[i + 1]))
                i += 2
    return bytes(out)


def get_array(text, name):
    start, end = array_span(text, name)
    return decode(text[text.index("=", start) + 1:end])


def set_array(text, name, data):
    start, end = array_span(text, name)
    lit = "".join("\\%03o" % b for b in data)
    return text[:start] + 'static const char %s[] =\n\t\t"%s"' % (name, lit) + text[end:]


def verify(header_text, cert, tmp):
    path = os.path.join(tmp, "probe.h")
    with open(path, "w") as f:
        f.write(header_text)
    return run("verify", path, "--cert", cert)


def flip(data, at):
    b = bytearray(data)
    b[at] ^= 1
    return bytes(b)


def reject(what, text, cert, tmp, reason):
    p = verify(text, cert, tmp)
    check("verify rejects %s" % what, p.returncode == 1 and reason in p.stderr and
          p.stderr.count("\n") == 1, "exit %d: %s" % (p.returncode, p.stderr.strip()))


if not shutil.which("openssl"):
    print("skipped: no openssl command (package openssl)")
    sys.exit(77)

with tempfile.TemporaryDirectory() as tmp:
    key, cert = make_key(tmp, "signer")
    other_key, other_cert = make_key(tmp, "other")
    openssl("ecparam", "-name", "prime256v1", "-out", os.path.join(tmp, "ecparam.pem"))
    ec_key, ec_cert = make_key(tmp, "ec", "ec:" + os.path.join(tmp, "ecparam.pem"))
    der_cert = os.path.join(tmp, "signer-cert.der")
    openssl("x509", "-in", cert, "-outform", "DER", "-out", der_cert)

    signed = run("gen", "--sign", "--key", key, "--cert", cert, obj)
    check("gen --sign writes a header", signed.returncode == 0 and "keyring_id" in signed.stdout,
          signed.stderr)
    again = run("gen", "--sign", "--key", key, "--cert", der_cert, obj)
    check("signed output is reproducible (and a DER certificate does the same)",
          again.stdout == signed.stdout)
    name = os.path.basename(obj)[:-2].replace(".", "_")
    bpftool_way = run("gen", "skeleton", "-L", "-S", "-k", key, "-i", cert, obj)
    check("bpftool's -S -k -i spelling gives the same header", bpftool_way.stdout == signed.stdout,
          bpftool_way.stderr)
    unsigned = run("gen", obj)
    check("the unsigned header has no signature", "signature[]" not in unsigned.stdout)

    text = signed.stdout
    p = verify(text, cert, tmp)
    check("verify accepts the good header", p.returncode == 0 and p.stderr == "", p.stderr)
    p = verify(text, der_cert, tmp)
    check("verify takes a DER certificate", p.returncode == 0, p.stderr)
    reject("another signer's certificate", text, other_cert, tmp, "does not verify")
    blob = get_array(text, "blob")
    reject("a changed blob byte", set_array(text, "blob", flip(blob, len(blob) // 2)), cert, tmp,
           "blob's SHA-256 is not the one the loader checks")
    insns = get_array(text, "insns")
    reject("a changed loader byte", set_array(text, "insns", flip(insns, len(insns) - 4)), cert,
           tmp, "does not verify")
    excl = get_array(text, "excl_prog_hash")
    reject("a changed excl_prog_hash", set_array(text, "excl_prog_hash", flip(excl, 0)), cert, tmp,
           "excl_prog_hash is not the loader's SHA-256")
    sig = get_array(text, "signature")
    reject("a truncated signature", set_array(text, "signature", sig[:-1]), cert, tmp,
           "not a DER PKCS#7 message")
    reject("an oversized signature", set_array(text, "signature", sig + b"\0"), cert, tmp,
           "1 bytes after the PKCS#7 message")
    reject("an unsigned header", unsigned.stdout, cert, tmp, "no signature[] array")
    # another signer's signature over the same loader
    theirs = run("gen", "--sign", "--key", other_key, "--cert", other_cert, obj).stdout
    reject("a signature by another key", set_array(text, "signature", get_array(theirs, "signature")),
           cert, tmp, "does not verify")

    out = os.path.join(tmp, "out.h")
    for what, args, reason in (
            ("--sign without --cert", ["--sign", "--key", key], "--sign needs"),
            ("--key without --sign", ["--key", key, "--cert", cert], "--sign needs"),
            ("a missing key file", ["--sign", "--key", os.path.join(tmp, "nope"), "--cert", cert],
             "No such file"),
            ("a certificate as the key", ["--sign", "--key", cert, "--cert", cert],
             "not an unencrypted PEM private key"),
            ("a key as the certificate", ["--sign", "--key", key, "--cert", key],
             "not an X.509 certificate"),
            ("a certificate of another key", ["--sign", "--key", key, "--cert", other_cert],
             "does not belong to the key"),
            ("an EC key (randomised signatures)", ["--sign", "--key", ec_key, "--cert", ec_cert],
             "not an RSA key")):
        p = run("gen", *args, "-o", out, obj)
        check("gen refuses %s" % what, p.returncode in (1, 2) and reason in p.stderr and
              p.stderr.count("\n") == 1 and not os.path.exists(out),
              "exit %d: %s" % (p.returncode, p.stderr.strip()))
    p = run("gen", "--sign", "--key", key, "--cert", cert, "-o", out, perf_obj)
    check("a perf event array sized at load is refused when signing",
          p.returncode == 1 and "cannot size a perf event array" in p.stderr and
          not os.path.exists(out), p.stderr.strip())

sys.exit(1 if failures else 0)
