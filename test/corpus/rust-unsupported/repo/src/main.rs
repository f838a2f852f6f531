fn main() {
    println!("newsletter");
}
