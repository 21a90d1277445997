// gokeytool writes and reads the cosign/Sigstore encrypted private key format with Go's own
// golang.org/x/crypto scrypt and nacl/secretbox (Debian's golang-golang-x-crypto-dev), independently
// of Bulwark's C# implementation, so that the tests compare two implementations.
//
//	gokeytool generate PREFIX   writes PREFIX.key (ENCRYPTED SIGSTORE PRIVATE KEY) and PREFIX.pub
//	gokeytool open FILE         decrypts FILE and prints the public key PEM
//
// The passphrase comes from BULWARK_KEY_PASSWORD.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/scrypt"
)

type params struct {
	N int `json:"N"`
	R int `json:"r"`
	P int `json:"p"`
}

type kdf struct {
	Name   string `json:"name"`
	Params params `json:"params"`
	Salt   []byte `json:"salt"`
}

type cipher struct {
	Name  string `json:"name"`
	Nonce []byte `json:"nonce"`
}

type box struct {
	KDF        kdf    `json:"kdf"`
	Cipher     cipher `json:"cipher"`
	Ciphertext []byte `json:"ciphertext"`
}

func deriveKey(pass []byte, k kdf) (*[32]byte, error) {
	raw, err := scrypt.Key(pass, k.Salt, k.Params.N, k.Params.R, k.Params.P, 32)
	if err != nil {
		return nil, err
	}
	var key [32]byte
	copy(key[:], raw)
	return &key, nil
}

func generate(prefix string, pass []byte) error {
	private, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(private)
	if err != nil {
		return err
	}
	b := box{KDF: kdf{Name: "scrypt", Params: params{N: 32768, R: 8, P: 1}, Salt: make([]byte, 32)}, Cipher: cipher{Name: "nacl/secretbox", Nonce: make([]byte, 24)}}
	if _, err := rand.Read(b.KDF.Salt); err != nil {
		return err
	}
	if _, err := rand.Read(b.Cipher.Nonce); err != nil {
		return err
	}
	key, err := deriveKey(pass, b.KDF)
	if err != nil {
		return err
	}
	var nonce [24]byte
	copy(nonce[:], b.Cipher.Nonce)
	b.Ciphertext = secretbox.Seal(nil, der, &nonce, key)
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	if err := os.WriteFile(prefix+".key", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED SIGSTORE PRIVATE KEY", Bytes: body}), 0o600); err != nil {
		return err
	}
	spki, err := x509.MarshalPKIXPublicKey(&private.PublicKey)
	if err != nil {
		return err
	}
	return os.WriteFile(prefix+".pub", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}), 0o644)
}

func open(file string, pass []byte) error {
	text, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	block, _ := pem.Decode(text)
	if block == nil || block.Type != "ENCRYPTED SIGSTORE PRIVATE KEY" {
		return errors.New("not an ENCRYPTED SIGSTORE PRIVATE KEY")
	}
	var b box
	if err := json.Unmarshal(block.Bytes, &b); err != nil {
		return err
	}
	if b.KDF.Name != "scrypt" || b.Cipher.Name != "nacl/secretbox" || len(b.Cipher.Nonce) != 24 {
		return errors.New("unexpected kdf or cipher")
	}
	key, err := deriveKey(pass, b.KDF)
	if err != nil {
		return err
	}
	var nonce [24]byte
	copy(nonce[:], b.Cipher.Nonce)
	der, ok := secretbox.Open(nil, b.Ciphertext, &nonce, key)
	if !ok {
		return errors.New("decryption failed")
	}
	private, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return err
	}
	ec, ok := private.(*ecdsa.PrivateKey)
	if !ok {
		return errors.New("not an ECDSA key")
	}
	spki, err := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}))
	return err
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gokeytool generate PREFIX | open FILE")
		os.Exit(2)
	}
	pass := []byte(os.Getenv("BULWARK_KEY_PASSWORD"))
	var err error
	switch os.Args[1] {
	case "generate":
		err = generate(os.Args[2], pass)
	case "open":
		err = open(os.Args[2], pass)
	default:
		err = errors.New("unknown command " + os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gokeytool:", err)
		os.Exit(1)
	}
}
