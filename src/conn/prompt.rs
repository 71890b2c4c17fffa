//! The password prompt: on the controlling terminal, without echo, before raw mode.

/// Asks on /dev/tty; `None` when there is no terminal to ask on (or the answer is unreadable).
pub fn prompt_password(question: &str) -> Option<String> {
    rpassword::prompt_password(question).ok()
}
