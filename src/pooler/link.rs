//! Which client holds which server connection: a client's `link` is its server's `ptr` and the
//! server's `link` is the client's `ptr` (SHOW CLIENTS / SHOW SERVERS, every supported version).
//! A pure function of one read; both sides are checked, so a row read between the two SHOWs
//! (the pairing changed meanwhile) is not paired with the wrong partner.

use std::collections::HashMap;

use super::model::Conn;

/// For each client (by index), the index of the server it holds; and the reverse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub client_server: Vec<Option<usize>>,
    pub server_client: Vec<Option<usize>>,
}

pub fn pair(clients: &[Conn], servers: &[Conn]) -> Links {
    let index = |rows: &[Conn]| -> HashMap<String, usize> {
        rows.iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r.ptr.clone()?, i)))
            .collect()
    };
    let client_at = index(clients);
    let server_at = index(servers);
    let partner = |row: &Conn, others: &HashMap<String, usize>, back: &[Conn]| {
        let i = *others.get(row.link.as_ref()?)?;
        // The partner must point back: both SHOWs saw the same pairing.
        (back[i].link.is_some() && back[i].link == row.ptr).then_some(i)
    };
    Links {
        client_server: clients
            .iter()
            .map(|c| partner(c, &server_at, servers))
            .collect(),
        server_client: servers
            .iter()
            .map(|s| partner(s, &client_at, clients))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(ptr: &str, link: Option<&str>) -> Conn {
        Conn {
            ptr: Some(ptr.into()),
            link: link.map(Into::into),
            ..Conn::default()
        }
    }

    #[test]
    fn pairs_both_ways() {
        let clients = [
            conn("c1", Some("s2")),
            conn("c2", None),
            conn("c3", Some("s1")),
        ];
        let servers = [
            conn("s1", Some("c3")),
            conn("s2", Some("c1")),
            conn("s3", None),
        ];
        let l = pair(&clients, &servers);
        assert_eq!(l.client_server, vec![Some(1), None, Some(0)]);
        assert_eq!(l.server_client, vec![Some(2), Some(0), None]);
    }

    #[test]
    fn a_one_sided_link_is_not_a_pair() {
        // The client was read holding s1, but by SHOW SERVERS s1 served someone else.
        let clients = [conn("c1", Some("s1"))];
        let servers = [conn("s1", Some("c9"))];
        let l = pair(&clients, &servers);
        assert_eq!(l.client_server, vec![None]);
        assert_eq!(l.server_client, vec![None]);
    }

    #[test]
    fn missing_columns_pair_nothing() {
        let clients = [Conn::default()];
        let servers = [Conn::default()];
        let l = pair(&clients, &servers);
        assert_eq!(l.client_server, vec![None]);
    }
}
