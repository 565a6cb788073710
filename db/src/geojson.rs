//! The one GeoJSON writer (RFC 7946): features and feature collections of WGS84
//! positions `[lon, lat]`, built as JSON values. The register's and the tables' exports
//! here and the binary's `tripoint export geojson` all write through it.

use serde_json::{Value, json};

/// A Point geometry at `[lon, lat]` [°, WGS84].
pub fn point(lon: f64, lat: f64) -> Value {
    json!({ "type": "Point", "coordinates": [lon, lat] })
}

/// A LineString geometry through `positions` (`[lon, lat]`, at least two).
pub fn line_string(positions: &[[f64; 2]]) -> Value {
    json!({ "type": "LineString", "coordinates": positions })
}

/// A Polygon geometry with one outer ring. The ring is closed here (its first position
/// repeated at the end) if it is not already, as RFC 7946 requires.
pub fn polygon(ring: &[[f64; 2]]) -> Value {
    let mut ring = ring.to_vec();
    if let (Some(first), Some(last)) = (ring.first().copied(), ring.last().copied())
        && first != last
    {
        ring.push(first);
    }
    json!({ "type": "Polygon", "coordinates": [ring] })
}

/// A Feature of a geometry and its properties (a JSON object).
pub fn feature(geometry: Value, properties: Value) -> Value {
    debug_assert!(properties.is_object(), "a feature's properties are an object");
    json!({ "type": "Feature", "geometry": geometry, "properties": properties })
}

/// A FeatureCollection of features.
pub fn collection(features: Vec<Value>) -> Value {
    json!({ "type": "FeatureCollection", "features": features })
}

/// A FeatureCollection as the text of a `.geojson` file: one line, ending in a newline.
pub fn to_text(collection: &Value) -> String {
    collection.to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygon_rings_are_closed_once() {
        let open = polygon(&[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]);
        assert_eq!(open["coordinates"][0].as_array().unwrap().len(), 4);
        let closed = polygon(&[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]);
        assert_eq!(closed["coordinates"][0].as_array().unwrap().len(), 4);
    }

    #[test]
    fn a_feature_holds_its_geometry_and_properties() {
        let f = feature(point(120.9, 31.0), json!({ "id": "jinze" }));
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["coordinates"][1], 31.0);
        assert_eq!(f["properties"]["id"], "jinze");
        assert_eq!(collection(vec![f])["features"].as_array().unwrap().len(), 1);
    }
}
