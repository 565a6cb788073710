//! A bound of nothing prints as `0`: `plan locate` with as many sites as nodes proves a
//! lower bound of zero, which the solver's arithmetic leaves as -0.0; it used to print
//! `lower_bound=-0`.

#[test]
fn a_zero_lower_bound_is_printed_without_a_sign() {
    let dir = std::env::temp_dir().join(format!("tripoint-negative-zero-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("every-node-a-site.txt");
    // Three nodes, two edges, p = 3: every node is a site, every distance 0.
    std::fs::write(&file, "3 2 3\n1 2 5\n2 3 5\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["plan", "locate", "--orlib", file.to_str().unwrap()])
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("objective=0\n"), "{stdout}");
    assert!(stdout.contains("lower_bound=0\n"), "{stdout}");
    assert!(!stdout.contains("-0"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
