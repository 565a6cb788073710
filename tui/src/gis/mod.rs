//! GIS interchange: a scenario as GeoJSON layers (`export`), and a river network read from
//! GeoJSON into a scenario skeleton (`import`). Positions are WGS84 `[lon, lat]`
//! (docs/gis.md says how they relate to CGCS2000 and GCJ-02).

pub mod export;
pub mod import;

/// Mean radius of the Earth [m] (IUGG), for haversine lengths and offsets.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance between two `[lon, lat]` positions [m] (haversine on the mean
/// sphere: within 0.5 % of the WGS84 ellipsoid's geodesic, far below the uncertainty of
/// a digitised channel).
pub fn distance_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (lat1, lat2) = (a[1].to_radians(), b[1].to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b[0] - a[0]).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Length of a polyline along the great circles between its positions [m].
pub fn polyline_length_m(positions: &[[f64; 2]]) -> f64 {
    positions.windows(2).map(|w| distance_m(w[0], w[1])).sum()
}

/// The fraction of a drawing path's length at each of its vertices, measured in degrees
/// as `Reach::lon_lat_at` measures it (so that a chainage's fraction of the reach's length
/// lands where that function draws it): 0 at the first vertex, 1 at the last; all 0 for a
/// path of no length.
pub fn vertex_fractions(path: &[[f64; 2]]) -> Vec<f64> {
    let mut along = vec![0.0];
    for w in path.windows(2) {
        let last = *along.last().expect("starts with 0");
        along.push(last + ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt());
    }
    let total = *along.last().expect("starts with 0");
    along
        .iter()
        .map(|a| if total > 0.0 { a / total } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vertex_fractions_run_from_0_to_1_by_length() {
        let f = vertex_fractions(&[[0.0, 0.0], [3.0, 4.0], [3.0, 9.0]]);
        assert_eq!(f, vec![0.0, 0.5, 1.0]);
        assert_eq!(vertex_fractions(&[[1.0, 1.0], [1.0, 1.0]]), vec![0.0, 0.0]);
    }

    #[test]
    fn a_degree_of_latitude_is_about_111_km() {
        let d = distance_m([121.0, 31.0], [121.0, 32.0]);
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn a_degree_of_longitude_shrinks_with_the_cosine_of_latitude() {
        let d = distance_m([121.0, 31.0], [122.0, 31.0]);
        let expected = 111_195.0 * 31f64.to_radians().cos();
        assert!((d - expected).abs() < 50.0, "{d} vs {expected}");
    }
}
