package hypcd

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"math"
	"path"

	"github.com/scalehq/scale/scale"
)

// Artifact files in a model directory.
const (
	ManifestFile = "manifest.json"
	WeightsFile  = "weights.bin"
)

// FormatName and FormatVersion identify the artifact format.
const (
	FormatName    = "scale-hypcd"
	FormatVersion = 1
)

// magic starts a serialized artifact: manifest and weights in one byte
// slice, as ports.Trainer exchanges them.
var magic = []byte("SCALE-HYPCD\x00")

// manifest describes a trained model; it is stored as JSON next to the
// weights.
type manifest struct {
	Format        string             `json:"format"`
	FormatVersion int                `json:"format_version"`
	Name          string             `json:"name"`
	Version       string             `json:"version"`
	FeatureSchema string             `json:"feature_schema"`
	Config        Config             `json:"config"`
	Labels        []scale.CategoryID `json:"labels"`
	Heads         int                `json:"heads"`
	Seed          int64              `json:"seed"`
	TrainingData  string             `json:"training_data_sha256"`
	Metrics       map[string]float64 `json:"metrics"`
	// Temperature is the calibrated softmax temperature over distances.
	Temperature float64 `json:"temperature"`
	// Radius is, per known category, the distance to its prototype within
	// which held-out members fall.
	Radius []float64 `json:"radius"`
	// Clusters are the categories discovered in the unlabelled training
	// data (transductive training), reported as "new:<n>".
	Clusters []cluster `json:"clusters,omitempty"`
	// KnownPayees are payees (MerchantKey) of labelled training items some
	// of whose unlabelled items fit no known category: they are never
	// reported as discovered.
	KnownPayees []string      `json:"known_payees,omitempty"`
	Tensors     []tensorEntry `json:"tensors"`
	Weights     string        `json:"weights_sha256"`
}

// tensorEntry locates one weight tensor in the weights file.
type tensorEntry struct {
	Name   string `json:"name"`
	Shape  []int  `json:"shape"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

// cluster is a discovered category remembered by a model.
type cluster struct {
	Key      string    `json:"key"`
	Name     string    `json:"name"`
	Tokens   []string  `json:"tokens"`
	Examples []string  `json:"examples"`
	Size     int       `json:"size"`
	Centroid []float64 `json:"centroid"`
	// Merchants are the payees (MerchantKey) of the cluster's members:
	// items of these payees are reported in the cluster.
	Merchants []string `json:"merchants,omitempty"`
}

// encodeWeights writes the tensors as little-endian float32 and fills the
// manifest's tensor table and hash.
func encodeWeights(man *manifest, w *weights) []byte {
	data, shapes := w.tensors()
	var buf bytes.Buffer
	man.Tensors = man.Tensors[:0]
	for i, t := range data {
		man.Tensors = append(man.Tensors, tensorEntry{Name: tensorNames[i], Shape: shapes[i], Offset: buf.Len(), Length: 4 * len(t)})
		b := make([]byte, 4*len(t))
		for j, v := range t {
			binary.LittleEndian.PutUint32(b[4*j:], math.Float32bits(v))
		}
		buf.Write(b)
	}
	sum := sha256.Sum256(buf.Bytes())
	man.Weights = hex.EncodeToString(sum[:])
	return buf.Bytes()
}

// decodeWeights reads the tensors listed in the manifest.
func decodeWeights(man manifest, raw []byte) (*weights, error) {
	sum := sha256.Sum256(raw)
	if hex.EncodeToString(sum[:]) != man.Weights {
		return nil, errArtifact("the weights do not match the manifest's hash")
	}
	get := map[string][]float32{}
	shape := map[string][]int{}
	for _, t := range man.Tensors {
		if t.Offset < 0 || t.Length < 0 || t.Offset+t.Length > len(raw) || t.Length%4 != 0 {
			return nil, errArtifact("tensor %q lies outside the weights", t.Name)
		}
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		if n*4 != t.Length {
			return nil, errArtifact("tensor %q has the wrong length", t.Name)
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[t.Offset+4*i:]))
		}
		get[t.Name], shape[t.Name] = v, t.Shape
	}
	for _, n := range tensorNames {
		if get[n] == nil {
			return nil, errArtifact("tensor %q is missing", n)
		}
	}
	w := &weights{emb: get["emb"], w1: get["w1"], b1: get["b1"], w2: get["w2"], b2: get["b2"], proto: get["proto"]}
	if len(shape["emb"]) != 2 || len(shape["w1"]) != 2 || len(shape["w2"]) != 2 || len(shape["proto"]) != 2 {
		return nil, errArtifact("weight tensors have the wrong rank")
	}
	w.v, w.e = shape["emb"][0], shape["emb"][1]
	w.h, w.d, w.k = shape["w1"][1], shape["w2"][1], shape["proto"][0]
	if shape["w1"][0] != w.e || shape["w2"][0] != w.h || shape["proto"][1] != w.d || len(w.b1) != w.h || len(w.b2) != w.d {
		return nil, errArtifact("weight tensors have inconsistent shapes")
	}
	cfg := man.Config.withDefaults()
	if w.v != cfg.Buckets || w.d != cfg.Dim || len(man.Labels) == 0 || len(man.Labels) > w.k ||
		len(man.Radius) != len(man.Labels) || man.Temperature <= 0 {
		return nil, errArtifact("the manifest does not fit the weights")
	}
	for _, c := range man.Clusters {
		if len(c.Centroid) != w.d {
			return nil, errArtifact("cluster %q has the wrong dimension", c.Key)
		}
	}
	return w, nil
}

// JoinArtifact packs a manifest and its weights into one artifact, the form
// ports.Trainer exchanges.
func JoinArtifact(manifestJSON, weightsBin []byte) []byte {
	out := make([]byte, 0, len(magic)+8+len(manifestJSON)+len(weightsBin))
	out = append(out, magic...)
	out = binary.BigEndian.AppendUint64(out, uint64(len(manifestJSON)))
	out = append(out, manifestJSON...)
	return append(out, weightsBin...)
}

// SplitArtifact unpacks an artifact into its manifest (JSON) and weights,
// the two files of a model directory.
func SplitArtifact(artifact []byte) (manifestJSON, weightsBin []byte, err error) {
	if !bytes.HasPrefix(artifact, magic) || len(artifact) < len(magic)+8 {
		return nil, nil, errArtifact("not a %s artifact", FormatName)
	}
	rest := artifact[len(magic):]
	n := binary.BigEndian.Uint64(rest)
	rest = rest[8:]
	if n > uint64(len(rest)) {
		return nil, nil, errArtifact("truncated artifact")
	}
	return rest[:n], rest[n:], nil
}

// LoadFS loads the model stored as manifest.json and weights.bin in dir of
// fsys (an embed.FS, os.DirFS, ...).
func LoadFS(fsys fs.FS, dir string) (*Model, error) {
	man, err := fs.ReadFile(fsys, path.Join(dir, ManifestFile))
	if err != nil {
		return nil, scale.Wrap(err, scale.KindInvalid, CodeArtifactInvalid, "the model manifest cannot be read")
	}
	w, err := fs.ReadFile(fsys, path.Join(dir, WeightsFile))
	if err != nil {
		return nil, scale.Wrap(err, scale.KindInvalid, CodeArtifactInvalid, "the model weights cannot be read")
	}
	return LoadParts(man, w)
}

// LoadParts loads a model from its manifest JSON and weights.
func LoadParts(manifestJSON, weightsBin []byte) (*Model, error) {
	var man manifest
	if err := json.Unmarshal(manifestJSON, &man); err != nil {
		return nil, scale.Wrap(err, scale.KindInvalid, CodeArtifactInvalid, "the model manifest is not valid JSON")
	}
	if man.Format != FormatName || man.FormatVersion != FormatVersion {
		return nil, errArtifact("unsupported model format %q version %d", man.Format, man.FormatVersion)
	}
	if man.FeatureSchema != FeatureSchema {
		return nil, errArtifact("unsupported feature schema %q", man.FeatureSchema)
	}
	w, err := decodeWeights(man, weightsBin)
	if err != nil {
		return nil, err
	}
	return newModel(man, w), nil
}

// Load deserializes an artifact produced by Train.
func Load(artifact []byte) (*Model, error) {
	man, w, err := SplitArtifact(artifact)
	if err != nil {
		return nil, err
	}
	return LoadParts(man, w)
}
