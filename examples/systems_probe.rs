fn main() {
    for id in medcode::CodeSet::EMBEDDED {
        let s = medcode::CodeSet::by_id(id).unwrap();
        println!("{id}: {:?}", s.system());
    }
    let pcs = medcode::CodeSet::icd10pcs();
    println!("{:?}", pcs.lookup("0dtj0zz"));
    println!("{:?}", pcs.validate("0DTJ0ZY"));
    println!(
        "{:?}",
        pcs.next_characters("0DT", None)
            .unwrap()
            .iter()
            .take(3)
            .collect::<Vec<_>>()
    );
    println!(
        "{:?}",
        pcs.next_characters("", None)
            .unwrap()
            .iter()
            .map(|n| (n.ch, n.label.clone(), n.codes))
            .collect::<Vec<_>>()
    );
    let h = medcode::CodeSet::hcpcs();
    println!("{:?} {:?}", h.lookup("e0114"), h.modifier("lt"));
    println!("{:?}", h.search("wheelchair", 3));
    println!("{:?}", pcs.search("excision duodenum open", 3));
    let c = medcode::CodeSet::cpt();
    println!("{:?}", c.validate("99213"));
}
