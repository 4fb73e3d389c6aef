Feature: Expected provision: the banding table
  Version 1.1.0 adds an illustrative banding table, provision.band: from the child's latest
  identification of needs (its level, 1 to 4, and the kind of setting) it gives the band, the
  yearly top-up in pounds, and whether the school first meets 6,000 pounds of additional support
  from its own (notional SEN) budget. Level ranges such as "1..2" cover both levels. If the needs
  do not record the setting, the table is not worked out: no value is assumed. In the 2.0.0
  draft, Band 1 in mainstream rises to 2,000 (see draft_proposals.feature); the other rows are
  unchanged.

  Background:
    Given a child born on 14 March 2015

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: provision.band - the band and top-up for the child's needs and setting

    Scenario Outline: Each row of the table
      Given the child's needs identified on 3 March 2025 as <need> at level <level> in <setting>
      When the duties are decided on 1 April 2025
      Then the expected provision from "provision.band" is row <row>: band "<band>", top-up <top_up>, the notional 6,000 <notional>
      And the expected provision is based on the identification of needs

      Examples:
        | need | level | setting               | row | band                | top_up | notional       |
        | SPLD | 1     | mainstream            | 1   | SEN support         | 0      | applies        |
        | SEMH | 3     | mainstream            | 3   | Band 2              | 3,100  | applies        |
        | ASD  | 4     | mainstream            | 4   | Band 3              | 4,500  | applies        |
        | SLCN | 1     | resourced provision   | 5   | Resourced 1         | 1,600  | does not apply |
        | HI   | 2     | resourced provision   | 5   | Resourced 1         | 1,600  | does not apply |
        | VI   | 3     | resourced provision   | 6   | Resourced 2         | 3,100  | does not apply |
        | ASD  | 4     | resourced provision   | 7   | Resourced 3         | 4,500  | does not apply |
        | MLD  | 1     | a special school      | 8   | Special 1           | 11,412 | does not apply |
        | SLD  | 2     | a special school      | 9   | Special 2           | 12,132 | does not apply |
        | PMLD | 3     | a special school      | 10  | Special 3           | 13,476 | does not apply |
        | MSI  | 4     | a special school      | 11  | Special 4           | 15,456 | does not apply |
        | SEMH | 1     | alternative provision | 12  | AP place only       | 0      | does not apply |
        | SEMH | 2     | alternative provision | 12  | AP place only       | 0      | does not apply |
        | SEMH | 3     | alternative provision | 13  | AP 1                | 3,100  | does not apply |
        | SEMH | 4     | alternative provision | 14  | AP 2                | 4,500  | does not apply |
        | PD   | 1     | post-16               | 15  | Post-16 SEN support | 0      | applies        |
        | DS   | 2     | post-16               | 16  | Post-16 band 1      | 1,600  | applies        |
        | OTH  | 3     | post-16               | 17  | Post-16 band 2      | 3,100  | applies        |
        | NSA  | 4     | post-16               | 18  | Post-16 band 3      | 4,500  | applies        |

    Scenario: The outputs of a row, checked one by one
      Given the child's needs identified on 3 March 2025 as SLD at level 2 in a special school
      When the duties are decided on 1 April 2025
      Then the expected provision from "provision.band" is row 9
        | output                | value     |
        | band                  | Special 2 |
        | top_up                | 12,132    |
        | notional_6000_applies | no        |

    Scenario: Needs that do not record the setting are not banded
      Given the child's needs identified on 3 March 2025 as ASD at level 3
      When the duties are decided on 1 April 2025
      Then the expected provision from "provision.band" is not worked out because "needs.setting" is not recorded

    Scenario: The latest identification of needs is used
      Given the child's needs identified on 3 March 2025 as SEMH at level 3 in mainstream
      And the child's needs identified on 2 June 2025 as SEMH at level 4 in mainstream
      When the duties are decided on 1 May 2025
      Then the expected provision from "provision.band" is row 3: band "Band 2", top-up 3,100
      And the expected provision is based on the first identification of needs
      When the duties are decided on 1 July 2025
      Then the expected provision from "provision.band" is row 4: band "Band 3", top-up 4,500
      And the expected provision is based on the second identification of needs

    Scenario: Without any identification of needs there is no expected provision
      Given a request for an EHC needs assessment received on 6 January 2025
      When the duties are decided on 1 April 2025
      Then there is no expected provision from "provision.band"

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0
  Rule: provision.band in version 1.1.0 - Band 1 in mainstream

    Scenario: Band 1 in mainstream tops up 1,600
      Given the child's needs identified on 3 March 2025 as SPLD at level 2 in mainstream
      When the duties are decided on 1 April 2025
      Then the expected provision from "provision.band" is row 2: band "Band 1", top-up 1,600, the notional 6,000 applies
