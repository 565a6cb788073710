//! `tripoint check f.toml | head -5`: when the reader of the output has gone, the program
//! ends quietly, killed by SIGPIPE like every Unix filter, instead of panicking on the
//! closed pipe. The pipe's read end is closed before the program starts, so the first
//! line it prints meets a closed pipe.

#[test]
#[cfg(unix)]
fn printing_to_a_closed_pipe_is_not_a_panic() {
    use std::os::unix::process::ExitStatusExt as _;
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/demo-zone.toml");
    for args in [vec!["check", scenario], vec!["plan", "locate", "--help"]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args(&args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGPIPE),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
}
